import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerCore } from '../../src/simulator/broker/core.ts';
import { runSelect } from '../../src/simulator/broker/rules/sql-eval.ts';
import { parseRuleSql } from '../../src/simulator/broker/rules/sql-parse.ts';
import { closeOf, createTestClock, nextMessage, waitFor } from '../helpers/sim-broker.ts';

describe('BrokerCore state over real MQTT connections', () => {
  const clock = createTestClock();
  const core = new BrokerCore({
    version: 'v5',
    nodeName: 'emqx@10.0.0.9',
    now: clock.now,
    connectionQuota: 2,
  });
  const clients: MqttClient[] = [];
  const connect = async (clientId: string, options: mqtt.IClientOptions = {}) => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${core.mqttPort()}`, {
      clientId,
      reconnectPeriod: 0,
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeAll(() => core.start());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await core.stop();
  });

  it('accepts anonymous clients while the authentication database is empty', async () => {
    const client = await connect('anon');
    expect(client.connected).toBe(true);
    expect(core.getClient('anon')).toMatchObject({ username: null, connected: true, protoVer: 4 });
  });

  it('raises license_quota at 80% of the licensed connections and clears it below', async () => {
    const second = await connect('quota-2');
    expect(core.alarms.activated().map((a) => a.name)).toEqual(['license_quota']);
    const closed = closeOf(second);
    await core.kick('quota-2');
    await closed;
    expect(core.alarms.activated()).toEqual([]);
    expect(core.alarms.deactivated().map((a) => a.name)).toContain('license_quota');
  });

  it('keeps a persistent session after its client leaves, until its expiry interval passes', async () => {
    const client = await connect('persistent', { clean: false });
    await client.subscribeAsync('p/#', { qos: 1 });
    await client.endAsync();
    await waitFor(() => core.getClient('persistent')?.connected === false);
    expect(core.getClient('persistent')).toMatchObject({
      connState: 'disconnected',
      expiryInterval: 7200,
      subscriptionsCnt: 1,
    });
    expect(core.stats()['sessions.count']).toBe(2);
    clock.advance(7200_000);
    expect(core.getClient('persistent')).toBeUndefined();
    expect(core.stats()).toMatchObject({ 'sessions.count': 1, 'sessions.max': 2, 'subscriptions.count': 0 });
  });

  it('resumes a persistent session on reconnect with its subscriptions', async () => {
    const first = await connect('resume', { clean: false });
    await first.subscribeAsync('r/#', { qos: 1 });
    await first.endAsync();
    await waitFor(() => core.getClient('resume')?.connected === false);
    const created = core.getClient('resume')?.createdAt;
    clock.advance(1000);
    const again = await connect('resume', { clean: false });
    const message = nextMessage(again);
    expect(core.clientSubscriptions('resume')?.map((s) => s.topic)).toEqual(['r/#']);
    expect(core.getClient('resume')?.createdAt).toBe(created);
    expect(await core.publish({ topic: 'r/1', payload: Buffer.from('back') })).toMatchObject({
      status: 'delivered',
    });
    expect((await message).payload.toString()).toBe('back');
  });

  it('counts traffic per connection and broker-wide', async () => {
    const client = await connect('counter');
    await client.publishAsync('count/me', 'abc', { qos: 1 });
    const info = core.getClient('counter');
    expect(info?.counters).toMatchObject({ recvMsg: 1, recvMsgQos1: 1 });
    expect(info?.counters.recvOct).toBeGreaterThan(0);
    expect(core.metrics()['messages.qos1.received']).toBeGreaterThanOrEqual(1);
  });
});

describe('rule SQL subset', () => {
  const columns = { topic: 't/1', clientid: 'c1', qos: 1, payload: '{"temp": 28, "meta": {"unit": "C"}}' };

  it.each([
    ['SELECT * FROM "t/#"', { ...columns }],
    ['SELECT payload.temp FROM "t/#"', { payload: { temp: 28 } }],
    ['SELECT payload.meta.unit as u, upper(clientid) as id FROM "t/#"', { u: 'C', id: 'C1' }],
    ['SELECT qos FROM "t/#" WHERE payload.temp >= 28 and clientid = \'c1\'', { qos: 1 }],
    ['SELECT qos FROM "t/#" WHERE payload.temp > 30 or topic =~ \'t/+\'', { qos: 1 }],
    ['SELECT qos FROM "t/#" WHERE not (qos = 1)', null],
    ['SELECT qos FROM "t/#" WHERE payload.temp < 10', null],
  ])('%s', (sql, expected) => {
    expect(runSelect(parseRuleSql(sql), columns)).toEqual(expected);
  });

  it('parses every FROM topic', () => {
    expect(parseRuleSql('SELECT * FROM "a/#", "$events/client_connected"').from).toEqual([
      'a/#',
      '$events/client_connected',
    ]);
  });

  it.each(['SELECT FROM "t"', 'SELECT * "t"', 'SELECT * FROM', 'SELECT * FROM "t" WHERE'])(
    'rejects %s',
    (sql) => {
      expect(() => parseRuleSql(sql)).toThrow();
    },
  );
});
