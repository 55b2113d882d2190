// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX rule templates such as ${clientid} are literal text here.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimBrokerHarness, startSimBroker } from '../helpers/sim-broker.ts';
import { closed, nextMessage } from '../helpers/sim-v4.ts';

/** Wired as the platform wires it: `createSimBroker` with a device user in `mqttUsers`. */
let sim: SimBrokerHarness;

beforeAll(async () => {
  sim = await startSimBroker({ version: 'v4' });
});

afterAll(() => sim.close());

const post = (path: string, body: unknown) => sim.request('POST', path, { body });

describe('v4 API end to end with real MQTT clients', () => {
  it('a v4 publish reaches a subscriber with its QoS', async () => {
    const subscriber = await sim.connect('e2e-sub-1');
    await subscriber.subscribeAsync('e2e/qos', { qos: 1 });
    const received = nextMessage(subscriber, 'e2e/qos');
    expect(
      (await post('/mqtt/publish', { topic: 'e2e/qos', payload: 'hello', qos: 1, clientid: 'api' })).json,
    ).toEqual({
      code: 0,
    });
    const message = await received;
    expect([message.payload.toString(), message.qos]).toEqual(['hello', 1]);
  });

  it('base64 payloads are decoded and `topics` publishes to every topic', async () => {
    const subscriber = await sim.connect('e2e-sub-2');
    await subscriber.subscribeAsync(['e2e/a', 'e2e/b']);
    const a = nextMessage(subscriber, 'e2e/a');
    const b = nextMessage(subscriber, 'e2e/b');
    const payload = Buffer.from([0, 1, 2, 255]).toString('base64');
    await post('/mqtt/publish', { topics: 'e2e/a,e2e/b', payload, encoding: 'base64', clientid: 'api' });
    expect([...(await a).payload]).toEqual([0, 1, 2, 255]);
    expect([...(await b).payload]).toEqual([0, 1, 2, 255]);
  });

  it('a retained v4 publish is delivered to a later subscriber with the retain flag', async () => {
    await post('/mqtt/publish', { topic: 'e2e/retained', payload: 'kept', retain: true, clientid: 'api' });
    const late = await sim.connect('e2e-late');
    const received = nextMessage(late, 'e2e/retained');
    await late.subscribeAsync('e2e/retained');
    const message = await received;
    expect([message.payload.toString(), message.retain]).toEqual(['kept', true]);
  });

  it('kick disconnects the client', async () => {
    const victim = await sim.connect('e2e-kick');
    const gone = closed(victim);
    expect((await sim.request('DELETE', '/clients/e2e-kick')).json).toEqual({ code: 0 });
    await gone;
    expect((await sim.request('GET', '/clients/e2e-kick')).json).toEqual({ code: 0, data: [] });
  });

  it('a ban refuses the client until it is deleted', async () => {
    await post('/banned', { who: 'e2e-banned', as: 'clientid', reason: 'test' });
    const options = {
      clientId: 'e2e-banned',
      username: sim.user.username,
      password: sim.user.password,
      reconnectPeriod: 0,
    };
    await expect(mqtt.connectAsync(sim.mqttUrl(), options)).rejects.toThrow(/Not authorized/i);
    expect((await sim.request('DELETE', '/banned/clientid/e2e-banned')).json).toEqual({ code: 0 });
    const client = await mqtt.connectAsync(sim.mqttUrl(), options);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('a ban without `until` lapses after 300 s of broker time', async () => {
    await post('/banned', { who: 'e2e-lapsed', as: 'clientid' });
    const options = {
      clientId: 'e2e-lapsed',
      username: sim.user.username,
      password: sim.user.password,
      reconnectPeriod: 0,
    };
    await expect(mqtt.connectAsync(sim.mqttUrl(), options)).rejects.toThrow(/Not authorized/i);
    sim.clock.advance(301_000);
    const client = await mqtt.connectAsync(sim.mqttUrl(), options);
    expect(client.connected).toBe(true);
    await client.endAsync();
    expect((await sim.request('GET', '/banned')).json.data).toEqual([]);
  });

  it('subscribing on behalf of a client makes it receive the topic', async () => {
    const client = await sim.connect('e2e-managed');
    expect(
      (await post('/mqtt/subscribe', { clientid: 'e2e-managed', topic: 'e2e/managed', qos: 1 })).json,
    ).toEqual({
      code: 0,
    });
    const received = nextMessage(client, 'e2e/managed');
    await post('/mqtt/publish', { topic: 'e2e/managed', payload: 'for you', qos: 1, clientid: 'api' });
    const message = await received;
    expect([message.payload.toString(), message.qos]).toEqual(['for you', 1]);
  });

  it('a v4 rule with a republish action republishes, and its metrics count it', async () => {
    const created = await post('/rules', {
      rawsql: 'SELECT payload.temp as temp, clientid FROM "e2e/in/#" WHERE payload.temp > 30',
      actions: [
        {
          name: 'republish',
          params: { target_topic: 'e2e/alerts/${clientid}', target_qos: '1', payload_tmpl: 'hot: ${temp}' },
        },
      ],
    });
    const ruleId = created.json.data.id;
    const watcher = await sim.connect('e2e-watcher');
    await watcher.subscribeAsync('e2e/alerts/#', { qos: 1 });
    const sensor = await sim.connect('e2e-sensor');
    const alert = nextMessage(watcher, 'e2e/alerts/e2e-sensor');
    await sensor.publishAsync('e2e/in/room', JSON.stringify({ temp: 20 }), { qos: 1 });
    await sensor.publishAsync('e2e/in/room', JSON.stringify({ temp: 35 }), { qos: 1 });
    const message = await alert;
    expect([message.payload.toString(), message.qos]).toEqual(['hot: 35', 1]);
    const rule = (await sim.request('GET', `/rules/${ruleId}`)).json.data;
    expect(rule.metrics[0]).toMatchObject({ matched: 2, passed: 1, no_result: 1 });
    expect(rule.actions[0].metrics[0]).toMatchObject({ success: 1, failed: 0 });
  });
});
