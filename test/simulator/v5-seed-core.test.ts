import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMessage, type SimBrokerHarness, startSimBroker, waitFor } from '../helpers/sim-broker.ts';

const AUTHZ = '/authorization/sources/built_in_database/rules';
const NODE = 'emqx@10.0.1.17';

/**
 * Holds the client's acknowledgements until released: mqtt.js sends PUBACK (QoS 1) or PUBCOMP (QoS 2) only once
 * `handleMessage` calls back, and handles the next message only after that.
 */
function holdAcks(client: MqttClient): () => void {
  const held: (() => void)[] = [];
  let released = false;
  client.handleMessage = (_packet, done) => {
    if (released) done();
    else held.push(() => done());
  };
  return () => {
    released = true;
    for (const release of held.splice(0)) release();
  };
}

const inflightCount = async (sim: SimBrokerHarness, clientId: string): Promise<number> =>
  (await sim.request('GET', `/clients/${clientId}`)).json.inflight_cnt;

describe('v5 GET /listeners (emqx_mgmt_api_listeners:list_listeners/2)', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('answers a bare array, one entry per listener id, with status summed and per node', async () => {
    await sim.connect('l-1');
    await sim.connect('l-2');
    const reply = await sim.request('GET', '/listeners');
    expect(reply.status).toBe(200);
    const status = { running: true, max_connections: expect.any(Number), current_connections: 2 };
    expect(reply.json).toEqual([
      {
        id: 'tcp:default',
        type: 'tcp',
        name: 'default',
        enable: true,
        number: 1,
        bind: `127.0.0.1:${new URL(sim.mqttUrl()).port}`,
        acceptors: expect.any(Number),
        status,
        node_status: [{ node: NODE, status }],
      },
    ]);
  });

  it('filters by type; an unknown type is 400 BAD_REQUEST', async () => {
    expect((await sim.request('GET', '/listeners?type=tcp')).json).toHaveLength(1);
    expect((await sim.request('GET', '/listeners?type=ws')).json).toEqual([]);
    const bad = await sim.request('GET', '/listeners?type=mqtt');
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('BAD_REQUEST');
  });
});

describe('v5 GET /topics/{topic} (emqx_mgmt_api_topics)', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('finds a route once a real client subscribes, and loses it when the client unsubscribes', async () => {
    const missing = await sim.request('GET', '/topics/plant%2F%2B%2Ftemp');
    expect([missing.status, missing.json]).toEqual([
      404,
      { code: 'TOPIC_NOT_FOUND', message: 'Topic not found' },
    ]);
    const device = await sim.connect('r-1');
    await device.subscribeAsync('plant/+/temp');
    const found = await sim.request('GET', '/topics/plant%2F%2B%2Ftemp');
    expect([found.status, found.json]).toEqual([200, [{ topic: 'plant/+/temp', node: NODE }]]);
    await device.unsubscribeAsync('plant/+/temp');
    await waitFor(async () => (await sim.request('GET', '/topics/plant%2F%2B%2Ftemp')).status === 404);
  });

  it('shows a shared subscription under its bare filter', async () => {
    const device = await sim.connect('r-2');
    await device.subscribeAsync('$share/g1/line/#');
    expect((await sim.request('GET', '/topics/line%2F%23')).json).toEqual([{ topic: 'line/#', node: NODE }]);
  });
});

describe('v5 inflight_messages and mqueue_messages from real deliveries', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('lists unacknowledged QoS 1 deliveries in order, pages them, and drops them once acknowledged', async () => {
    const slow = await sim.connect('slow-1');
    const release = holdAcks(slow);
    await slow.subscribeAsync('stuck/#', { qos: 1 });
    for (const payload of ['one', 'two'])
      await sim.request('POST', '/publish', { body: { topic: 'stuck/a', payload, qos: 1 } });
    await waitFor(async () => (await inflightCount(sim, 'slow-1')) === 2);
    const page1 = await sim.request('GET', '/clients/slow-1/inflight_messages?limit=1&payload=plain');
    expect(page1.status).toBe(200);
    expect(page1.json.data).toEqual([
      {
        msgid: expect.any(String),
        topic: 'stuck/a',
        qos: 1,
        publish_at: expect.any(Number),
        from_clientid: 'http_api',
        from_username: null,
        payload: 'one',
        inserted_at: expect.stringMatching(/^\d+$/),
      },
    ]);
    expect(page1.json.meta).toEqual({
      start: expect.stringMatching(/^\d+$/),
      position: page1.json.meta.start,
    });
    const page2 = await sim.request(
      'GET',
      `/clients/slow-1/inflight_messages?position=${page1.json.meta.position}`,
    );
    expect(page2.json.data.map((m: { payload: string }) => m.payload)).toEqual([
      Buffer.from('two').toString('base64'),
    ]);
    const end = await sim.request(
      'GET',
      `/clients/slow-1/inflight_messages?position=${page2.json.meta.position}`,
    );
    expect(end.json).toEqual({ data: [], meta: { start: 'none', position: 'end_of_data' } });
    expect((await sim.request('GET', '/clients/slow-1/mqueue_messages')).json.data).toEqual([]);
    release();
    await waitFor(async () => (await inflightCount(sim, 'slow-1')) === 0);
    expect((await sim.request('GET', '/clients/slow-1/inflight_messages')).json).toEqual({
      data: [],
      meta: { start: 'none', position: 'none' },
    });
  });

  it('keeps a QoS 2 delivery inflight until PUBCOMP', async () => {
    const slow = await sim.connect('slow-2');
    const release = holdAcks(slow);
    await slow.subscribeAsync('q2/#', { qos: 2 });
    await sim.request('POST', '/publish', { body: { topic: 'q2/a', payload: 'x', qos: 2 } });
    await waitFor(async () => (await inflightCount(sim, 'slow-2')) === 1);
    const listed = (await sim.request('GET', '/clients/slow-2/inflight_messages')).json.data;
    expect(listed.map((m: { qos: number }) => m.qos)).toEqual([2]);
    release();
    await waitFor(async () => (await inflightCount(sim, 'slow-2')) === 0);
  });

  it('a QoS 0 subscription receiving a QoS 1 message leaves nothing inflight', async () => {
    const plain = await sim.connect('plain-0');
    await plain.subscribeAsync('zero/#', { qos: 0 });
    const got = nextMessage(plain);
    await sim.request('POST', '/publish', { body: { topic: 'zero/a', payload: 'x', qos: 1 } });
    expect((await got).qos).toBe(0);
    expect(await inflightCount(sim, 'plain-0')).toBe(0);
    expect((await sim.request('GET', '/clients/plain-0/inflight_messages')).json.data).toEqual([]);
  });

  it('a persistent session queues while offline (mqueue) and nothing of it is inflight', async () => {
    const owner = await sim.connect('persist-1', { clean: false });
    await owner.subscribeAsync('offline/#', { qos: 1 });
    await owner.endAsync();
    await waitFor(async () => (await sim.request('GET', '/clients/persist-1')).json.connected === false);
    await sim.request('POST', '/publish', { body: { topic: 'offline/a', payload: 'q', qos: 1 } });
    const queued = (await sim.request('GET', '/clients/persist-1/mqueue_messages')).json.data;
    expect(
      queued.map((m: { topic: string; mqueue_priority: number }) => [m.topic, m.mqueue_priority]),
    ).toEqual([['offline/a', 0]]);
    expect((await sim.request('GET', '/clients/persist-1/inflight_messages')).json.data).toEqual([]);
  });
});

describe('v5 authorization cache decides before the rules (authorization.cache, ttl 1m)', () => {
  let sim: SimBrokerHarness;
  let publisher: MqttClient;
  let watcher: MqttClient;
  beforeAll(async () => {
    sim = await startSimBroker();
    watcher = await sim.connect('cache-watch');
    await watcher.subscribeAsync(['gate/#', 'marker/#'], { qos: 1 });
    publisher = await sim.connect('cache-pub');
  });
  afterAll(() => sim.close());

  /** Publishes to `gate/1`, then a marker: whether the gate message reached the watcher before the marker. */
  async function gatePasses(): Promise<boolean> {
    const topics: string[] = [];
    const markerSeen = new Promise<void>((resolve) => {
      const onMessage = (topic: string) => {
        topics.push(topic);
        if (topic !== 'marker/1') return;
        watcher.off('message', onMessage);
        resolve();
      };
      watcher.on('message', onMessage);
    });
    await publisher.publishAsync('gate/1', 'through', { qos: 1 });
    await publisher.publishAsync('marker/1', 'after', { qos: 1 });
    await markerSeen;
    return topics.includes('gate/1');
  }

  const denyGate = {
    clientid: 'cache-pub',
    rules: [{ topic: 'gate/#', permission: 'deny', action: 'publish' }],
  };

  it('a new deny rule is not seen while the allow is cached; clearing the client cache re-evaluates', async () => {
    expect(await gatePasses()).toBe(true);
    expect((await sim.request('POST', `${AUTHZ}/clients`, { body: [denyGate] })).status).toBe(204);
    expect(await gatePasses()).toBe(true);
    expect((await sim.request('DELETE', '/clients/cache-pub/authorization/cache')).status).toBe(204);
    expect(await gatePasses()).toBe(false);
    const cache = (await sim.request('GET', '/clients/cache-pub/authorization/cache')).json;
    expect(cache).toContainEqual(
      expect.objectContaining({ access: 'publish', topic: 'gate/1', result: 'deny' }),
    );
  });

  it('the cluster-wide DELETE /authorization/cache clears every client', async () => {
    expect((await sim.request('DELETE', `${AUTHZ}/clients/cache-pub`)).status).toBe(204);
    expect(await gatePasses()).toBe(false);
    expect((await sim.request('DELETE', '/authorization/cache')).status).toBe(204);
    expect(await gatePasses()).toBe(true);
  });

  it('an entry older than the TTL is evaluated again without a clear', async () => {
    expect((await sim.request('POST', `${AUTHZ}/clients`, { body: [denyGate] })).status).toBe(204);
    expect(await gatePasses()).toBe(true);
    sim.clock.advance(60_001);
    expect(await gatePasses()).toBe(false);
    await sim.request('DELETE', `${AUTHZ}/clients/cache-pub`);
  });

  it('the cache goes with the connection', async () => {
    const again = await sim.connect('cache-pub-2');
    await again.publishAsync('gate/2', 'x', { qos: 1 });
    expect((await sim.request('GET', '/clients/cache-pub-2/authorization/cache')).json).toHaveLength(1);
    await again.endAsync();
    await waitFor(
      async () => (await sim.request('GET', '/clients/cache-pub-2/authorization/cache')).status === 404,
    );
  });
});

describe('v5 DELETE /authorization/sources/built_in_database/rules', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('wipes the rules of users, clients and all (204), and the wipe takes effect on MQTT', async () => {
    const rule = [{ topic: 'wipe/#', permission: 'deny', action: 'subscribe' }];
    await sim.request('POST', `${AUTHZ}/users`, { body: [{ username: 'u1', rules: rule }] });
    await sim.request('POST', `${AUTHZ}/clients`, { body: [{ clientid: 'wipe-c', rules: rule }] });
    await sim.request('POST', `${AUTHZ}/all`, { body: { rules: rule } });
    const refused = await sim.connect('wipe-a');
    await expect(refused.subscribeAsync('wipe/x')).rejects.toMatchObject({ packet: { granted: [128] } });
    const wiped = await sim.request('DELETE', AUTHZ);
    expect([wiped.status, wiped.text]).toEqual([204, '']);
    expect((await sim.request('GET', `${AUTHZ}/users`)).json.data).toEqual([]);
    expect((await sim.request('GET', `${AUTHZ}/clients`)).json.data).toEqual([]);
    expect((await sim.request('GET', `${AUTHZ}/all`)).json).toEqual({ rules: [] });
    const allowed = await sim.connect('wipe-b');
    expect((await allowed.subscribeAsync('wipe/x')).map((g) => g.qos)).toEqual([0]);
  });
});

describe('v5 node-scoped stats and metrics', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('GET /nodes/{node}/stats|metrics are the flat objects of that node; unknown node → 404', async () => {
    const device = await sim.connect('n-1');
    await device.subscribeAsync('n/#');
    const stats = await sim.request('GET', `/nodes/${NODE}/stats`);
    expect(stats.json).toMatchObject({ 'connections.count': 1, 'subscriptions.count': 1, 'topics.count': 1 });
    expect(stats.json).not.toHaveProperty('node');
    const metrics = await sim.request('GET', `/nodes/${NODE}/metrics`);
    expect(metrics.json['client.subscribe']).toBe(1);
    for (const path of ['stats', 'metrics']) {
      const missing = await sim.request('GET', `/nodes/emqx@nowhere/${path}`);
      expect([missing.status, missing.json]).toEqual([
        404,
        { code: 'NOT_FOUND', message: 'Node not found: emqx@nowhere' },
      ]);
    }
  });
});
