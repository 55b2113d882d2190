import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeOf, nextMessage, type SimBrokerHarness, startSimBroker } from '../helpers/sim-broker.ts';

const AUTHN = '/authentication/password_based%3Abuilt_in_database';
const AUTHZ = '/authorization/sources/built_in_database/rules';

describe('simulated broker end to end with real MQTT clients', () => {
  let sim: SimBrokerHarness;

  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  describe('publish through the API', () => {
    let subscriber: MqttClient;
    beforeAll(async () => {
      subscriber = await sim.connect('e2e-sub');
      await subscriber.subscribeAsync('e2e/#', { qos: 1 });
    });

    it('delivers QoS 1 with a base64 payload decoded to its bytes', async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      const received = nextMessage(subscriber);
      const reply = await sim.request('POST', '/publish', {
        body: { topic: 'e2e/bin', payload: bytes.toString('base64'), payload_encoding: 'base64', qos: 1 },
      });
      expect(reply.status).toBe(200);
      const message = await received;
      expect(message).toMatchObject({ topic: 'e2e/bin', qos: 1, retain: false });
      expect(message.payload.equals(bytes)).toBe(true);
    });

    it('delivers QoS 0', async () => {
      const received = nextMessage(subscriber);
      expect(
        (await sim.request('POST', '/publish', { body: { topic: 'e2e/q0', payload: 'zero' } })).status,
      ).toBe(200);
      expect(await received).toMatchObject({ topic: 'e2e/q0', qos: 0 });
    });

    it('honours the retain flag: a later subscriber gets the message flagged retained', async () => {
      const live = nextMessage(subscriber);
      await sim.request('POST', '/publish', {
        body: { topic: 'e2e/kept', payload: 'kept', retain: true, qos: 1 },
      });
      expect((await live).retain).toBe(false);
      const late = await sim.connect('e2e-late');
      const retained = nextMessage(late);
      await late.subscribeAsync('e2e/kept', { qos: 1 });
      expect(await retained).toMatchObject({ topic: 'e2e/kept', retain: true });
      expect((await retained).payload.toString()).toBe('kept');
    });

    it('answers 202 no_matching_subscribers when nobody listens', async () => {
      const reply = await sim.request('POST', '/publish', {
        body: { topic: 'nobody/listens', payload: 'x' },
      });
      expect(reply.status).toBe(202);
      expect(reply.json).toEqual({ reason_code: 16, message: 'no_matching_subscribers' });
    });
  });

  describe('authentication and bans', () => {
    afterEach(async () => {
      await sim.request('DELETE', '/banned');
    });

    it('refuses a wrong password (CONNACK 4) and an unknown user (CONNACK 5)', async () => {
      await expect(sim.connect('intruder', { password: 'wrong' })).rejects.toMatchObject({ code: 4 });
      await expect(sim.connect('intruder', { username: 'ghost', password: 'x' })).rejects.toMatchObject({
        code: 5,
      });
    });

    it('a banned client cannot reconnect until the ban expires', async () => {
      const until = Math.floor(sim.clock.now() / 1000) + 60;
      const ban = await sim.request('POST', '/banned', { body: { as: 'clientid', who: 'ban-me', until } });
      expect(ban.status).toBe(200);
      await expect(sim.connect('ban-me')).rejects.toMatchObject({ code: 5 });
      sim.clock.advance(61_000);
      const back = await sim.connect('ban-me');
      expect(back.connected).toBe(true);
      expect((await sim.request('GET', '/banned')).json.meta.count).toBe(0);
    });

    it('a banned username can connect again once the ban is deleted', async () => {
      await sim.request('POST', '/banned', { body: { as: 'username', who: sim.user.username } });
      await expect(sim.connect('by-name')).rejects.toMatchObject({ code: 5 });
      expect((await sim.request('DELETE', `/banned/username/${sim.user.username}`)).status).toBe(204);
      expect((await sim.connect('by-name')).connected).toBe(true);
    });

    it('peerhost_net bans match the client address', async () => {
      await sim.request('POST', '/banned', { body: { as: 'peerhost_net', who: '127.0.0.0/8' } });
      await expect(sim.connect('by-net')).rejects.toMatchObject({ code: 5 });
    });
  });

  it('a kicked client is disconnected', async () => {
    const client = await sim.connect('e2e-kick');
    const closed = closeOf(client);
    expect((await sim.request('DELETE', '/clients/e2e-kick')).status).toBe(204);
    await closed;
    expect(client.connected).toBe(false);
  });

  it('a retained message published by a device is listed, then deleted so new subscribers no longer get it', async () => {
    const device = await sim.connect('e2e-retainer');
    await device.publishAsync('ret/a', 'first', { retain: true, qos: 1 });
    const listed = await sim.request('GET', '/mqtt/retainer/messages?topic=ret%2F%23');
    expect(listed.json.data).toEqual([
      expect.objectContaining({
        topic: 'ret/a',
        from_clientid: 'e2e-retainer',
        from_username: sim.user.username,
      }),
    ]);
    expect((await sim.request('DELETE', '/mqtt/retainer/message/ret%2Fa')).status).toBe(204);
    await device.publishAsync('ret/b', 'second', { retain: true, qos: 1 });
    const watcher = await sim.connect('e2e-ret-watch');
    const first = nextMessage(watcher);
    await watcher.subscribeAsync('ret/#', { qos: 1 });
    expect((await first).topic).toBe('ret/b');
  });

  it('an authorization rule silently drops a denied publish; the allowed one after it arrives', async () => {
    const rules = [{ topic: 'secret/#', permission: 'deny', action: 'publish' }];
    expect(
      (await sim.request('POST', `${AUTHZ}/users`, { body: [{ username: sim.user.username, rules }] }))
        .status,
    ).toBe(204);
    const listener = await sim.connect('authz-listener');
    await listener.subscribeAsync(['secret/#', 'open/#'], { qos: 1 });
    const publisher = await sim.connect('authz-publisher');
    const first = nextMessage(listener);
    await publisher.publishAsync('secret/plans', 'hidden', { qos: 1 });
    await publisher.publishAsync('open/news', 'visible', { qos: 1 });
    expect((await first).topic).toBe('open/news');
    expect(publisher.connected).toBe(true);
    const cache = await sim.request('GET', '/clients/authz-publisher/authorization/cache');
    expect(cache.json).toContainEqual(expect.objectContaining({ topic: 'secret/plans', result: 'deny' }));
    await sim.request('DELETE', `${AUTHZ}/users/${sim.user.username}`);
  });

  it('an authorization rule refuses a subscription with SUBACK 0x80', async () => {
    await sim.request('POST', `${AUTHZ}/clients`, {
      body: [
        { clientid: 'authz-sub', rules: [{ topic: 'vault/#', permission: 'deny', action: 'subscribe' }] },
      ],
    });
    const client = await sim.connect('authz-sub');
    // mqtt.js rejects a SUBACK carrying a failure code, with the packet attached.
    await expect(client.subscribeAsync(['vault/#', 'lobby/#'])).rejects.toMatchObject({
      packet: { granted: [128, 0] },
    });
    expect(
      (await sim.request('GET', '/clients/authz-sub/subscriptions')).json.map(
        (s: { topic: string }) => s.topic,
      ),
    ).toEqual(['lobby/#']);
  });

  it('a superuser bypasses authorization', async () => {
    await sim.request('POST', `${AUTHN}/users`, {
      body: { user_id: 'root', password: 'r00t', is_superuser: true },
    });
    await sim.request('POST', `${AUTHZ}/all`, {
      body: { rules: [{ topic: '#', permission: 'deny', action: 'subscribe' }] },
    });
    const root = await sim.connect('root-client', { username: 'root', password: 'r00t' });
    expect((await root.subscribeAsync('anything/#')).map((g) => g.qos)).toEqual([0]);
    await sim.request('DELETE', `${AUTHZ}/all`);
  });

  it('a rule with a republish action republishes', async () => {
    const rule = await sim.request('POST', '/rules', {
      body: {
        id: 'hot',
        sql: 'SELECT payload.temp as temp, clientid FROM "plant/+/temp" WHERE payload.temp > 30',
        actions: [
          {
            function: 'republish',
            args: { topic: `alerts/\${clientid}`, qos: 1, payload: `too hot: \${temp}` },
          },
        ],
      },
    });
    expect(rule.status).toBe(201);
    const watcher = await sim.connect('rule-watcher');
    await watcher.subscribeAsync('alerts/#', { qos: 1 });
    const device = await sim.connect('boiler-7');
    const alert = nextMessage(watcher);
    await device.publishAsync('plant/1/temp', '{"temp": 12}', { qos: 1 });
    await device.publishAsync('plant/1/temp', '{"temp": 45}', { qos: 1 });
    const message = await alert;
    expect(message).toMatchObject({ topic: 'alerts/boiler-7', qos: 1 });
    expect(message.payload.toString()).toBe('too hot: 45');
    const metrics = (await sim.request('GET', '/rules/hot/metrics')).json.metrics;
    expect(metrics).toMatchObject({ matched: 2, passed: 1, 'actions.success': 1 });
  });

  it('stop() disconnects every client; start() reopens the same port with retained messages kept', async () => {
    const isolated = await startSimBroker();
    try {
      const client = await isolated.connect('stop-me');
      await client.publishAsync('kept/after/restart', 'yes', { retain: true, qos: 1 });
      const port = isolated.broker.mqttPort();
      const closed = closeOf(client);
      await isolated.broker.stop();
      await closed;
      expect(isolated.broker.mqttPort()).toBeNull();
      await isolated.broker.start();
      expect(isolated.broker.mqttPort()).toBe(port);
      expect((await isolated.request('GET', '/clients')).json.meta.count).toBe(0);
      const again = await isolated.connect('after-restart');
      const retained = nextMessage(again);
      await again.subscribeAsync('kept/#');
      expect((await retained).payload.toString()).toBe('yes');
    } finally {
      await isolated.close();
    }
  });
});
