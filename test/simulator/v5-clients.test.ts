import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeOf,
  nextMessage,
  type SimBrokerHarness,
  startSimBroker,
  waitFor,
} from '../helpers/sim-broker.ts';

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/** Keys of the 5.8 client example in docs/emqx-api.md §4.1. */
const CLIENT_KEYS =
  `clientid username node connected proto_name proto_ver ip_address port peerport listener mountpoint
  is_bridge clean_start keepalive expiry_interval created_at connected_at enable_authn is_persistent durable
  subscriptions_cnt subscriptions_max inflight_cnt inflight_max awaiting_rel_cnt awaiting_rel_max mqueue_len mqueue_max
  mqueue_dropped heap_size reductions mailbox_len recv_oct recv_cnt recv_pkt recv_msg recv_msg.qos0 recv_msg.qos1
  recv_msg.qos2 recv_msg.dropped recv_msg.dropped.await_pubrel_timeout send_oct send_cnt send_pkt send_msg send_msg.qos0
  send_msg.qos1 send_msg.qos2 send_msg.dropped send_msg.dropped.expired send_msg.dropped.queue_full
  send_msg.dropped.too_large`.split(/\s+/);

describe('v5 clients (docs/emqx-api.md §4.1)', () => {
  let sim: SimBrokerHarness;
  let alpha: MqttClient;

  beforeAll(async () => {
    sim = await startSimBroker();
    const created = await sim.request('POST', '/authentication/password_based:built_in_database/users', {
      body: { user_id: 'device-02', password: 'pw-2' },
    });
    expect(created.status).toBe(201);
    alpha = await sim.connect('c-alpha');
    await sim.connect('c-beta', { clean: false });
    await sim.connect('other-gamma', { username: 'device-02', password: 'pw-2' });
  });
  afterAll(() => sim.close());

  it('lists every client with query meta and the 5.8 client object', async () => {
    const reply = await sim.request('GET', '/clients');
    expect(reply.status).toBe(200);
    expect(reply.json.meta).toEqual({ page: 1, limit: 100, hasnext: false, count: 3 });
    const client = reply.json.data.find((c: { clientid: string }) => c.clientid === 'c-alpha');
    expect(Object.keys(client)).toEqual(expect.arrayContaining(CLIENT_KEYS));
    expect(client).toMatchObject({
      username: 'device-01',
      node: 'emqx@10.0.1.17',
      connected: true,
      proto_name: 'MQTT',
      proto_ver: 4,
      ip_address: '127.0.0.1',
      clean_start: true,
      expiry_interval: 0,
      subscriptions_max: 'infinity',
    });
    expect(client.created_at).toMatch(RFC3339_MS);
    expect(client.recv_pkt).toBeGreaterThanOrEqual(1);
    expect(client).not.toHaveProperty('disconnected_at');
  });

  it.each([
    ['?limit=1', { page: 1, limit: 1, hasnext: true, count: 3 }, 1],
    ['?limit=2&page=2', { page: 2, limit: 2, hasnext: false, count: 3 }, 1],
    ['?clientid=c-alpha&clientid=c-beta', { page: 1, limit: 100, hasnext: false, count: 2 }, 2],
    ['?username=device-02', { page: 1, limit: 100, hasnext: false, count: 1 }, 1],
    ['?like_clientid=c-', { page: 1, limit: 100, hasnext: false }, 2],
    ['?clean_start=false', { page: 1, limit: 100, hasnext: false, count: 1 }, 1],
    ['?ip_address=127.0.0.1&proto_ver=4', { page: 1, limit: 100, hasnext: false, count: 3 }, 3],
    ['?conn_state=disconnected', { page: 1, limit: 100, hasnext: false, count: 0 }, 0],
    ['?clientid=c-alpha&like_clientid=zzz', { page: 1, limit: 100, hasnext: false, count: 1 }, 1],
  ])('GET /clients%s → meta %j', async (query, meta, rows) => {
    const reply = await sim.request('GET', `/clients${query}`);
    expect(reply.status).toBe(200);
    expect(reply.json.meta).toEqual(meta);
    expect(reply.json.data).toHaveLength(rows);
  });

  it('filters on created_at with epoch ms and RFC 3339 bounds', async () => {
    const future = sim.clock.now() + 60_000;
    const rfc = new Date(sim.clock.now() - 60_000).toISOString();
    expect((await sim.request('GET', `/clients?gte_created_at=${future}`)).json.meta.count).toBe(0);
    expect(
      (await sim.request('GET', `/clients?gte_connected_at=${encodeURIComponent(rfc)}`)).json.meta.count,
    ).toBe(3);
    expect((await sim.request('GET', '/clients?lte_created_at=yesterday')).status).toBe(400);
  });

  it('projects fields= and rejects unknown field names', async () => {
    const reply = await sim.request('GET', '/clients?fields=clientid,username&clientid=c-alpha');
    expect(reply.json.data).toEqual([{ clientid: 'c-alpha', username: 'device-01' }]);
    const bad = await sim.request('GET', '/clients?fields=clientid,colour');
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('BAD_REQUEST');
  });

  it('500 NODE_DOWN for an unknown node', async () => {
    const reply = await sim.request('GET', '/clients?node=emqx@10.9.9.9');
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({ code: 'NODE_DOWN', message: 'invalid node' });
  });

  it('GET /clients/{clientid} → bare object; unknown → 404 CLIENTID_NOT_FOUND', async () => {
    const reply = await sim.request('GET', '/clients/c-alpha');
    expect(reply.status).toBe(200);
    expect(reply.json.clientid).toBe('c-alpha');
    const missing = await sim.request('GET', '/clients/nobody');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 'CLIENTID_NOT_FOUND', message: 'Client ID not found' });
  });

  it('percent-decodes path segments (client IDs with / and spaces)', async () => {
    await sim.connect('site/7 gateway');
    const reply = await sim.request('GET', '/clients/site%2F7%20gateway');
    expect(reply.status).toBe(200);
    expect(reply.json.clientid).toBe('site/7 gateway');
    expect((await sim.request('DELETE', '/clients/site%2F7%20gateway')).status).toBe(204);
  });

  it('subscribes, lists and unsubscribes on a client’s behalf', async () => {
    const sub = await sim.request('POST', '/clients/c-alpha/subscribe', { body: { topic: 'a/+', qos: 1 } });
    expect(sub.status).toBe(200);
    expect(sub.json).toEqual({
      clientid: 'c-alpha',
      topic: 'a/+',
      qos: 1,
      nl: 0,
      rap: 0,
      rh: 0,
      node: 'emqx@10.0.1.17',
    });
    const bulk = await sim.request('POST', '/clients/c-alpha/subscribe/bulk', {
      body: [{ topic: 'b/1' }, { topic: '$share/g1/c/#', qos: 2 }],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.json.map((s: { topic: string }) => s.topic)).toEqual(['b/1', '$share/g1/c/#']);
    const list = await sim.request('GET', '/clients/c-alpha/subscriptions');
    expect(list.status).toBe(200);
    expect(list.json).toContainEqual({
      node: 'emqx@10.0.1.17',
      topic: 'a/+',
      clientid: 'c-alpha',
      qos: 1,
      nl: 0,
      rap: 0,
      rh: 0,
      durable: false,
    });
    expect(
      (await sim.request('POST', '/clients/c-alpha/unsubscribe', { body: { topic: 'a/+' } })).status,
    ).toBe(204);
    const unsubBulk = await sim.request('POST', '/clients/c-alpha/unsubscribe/bulk', {
      body: [{ topic: 'b/1' }, { topic: '$share/g1/c/#' }],
    });
    expect(unsubBulk.status).toBe(204);
    expect((await sim.request('GET', '/clients/c-alpha/subscriptions')).json).toEqual([]);
  });

  it('a subscription made through the API really delivers', async () => {
    await sim.request('POST', '/clients/c-alpha/subscribe', { body: { topic: 'api/sub', qos: 0 } });
    const received = nextMessage(alpha);
    const pub = await sim.request('POST', '/publish', { body: { topic: 'api/sub', payload: 'via-api' } });
    expect(pub.status).toBe(200);
    const { topic, payload } = await received;
    expect([topic, payload.toString()]).toEqual(['api/sub', 'via-api']);
    await sim.request('POST', '/clients/c-alpha/unsubscribe', { body: { topic: 'api/sub' } });
  });

  it('subscribe/bulk switches to {succeed, failed} on a partial failure', async () => {
    const reply = await sim.request('POST', '/clients/c-beta/subscribe/bulk', {
      body: [{ topic: 'ok/1' }, { topic: 'bad/#/x' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.json.succeed).toHaveLength(1);
    expect(reply.json.failed[0].data.slice(0, 2)).toEqual(['c-beta', 'bad/#/x']);
    expect(typeof reply.json.failed[0].reason).toBe('string');
  });

  it.each([
    ['POST', '/clients/nobody/subscribe', { topic: 't' }, 404],
    ['POST', '/clients/nobody/subscribe/bulk', [{ topic: 't' }], 404],
    ['POST', '/clients/nobody/unsubscribe', { topic: 't' }, 404],
    ['POST', '/clients/nobody/unsubscribe/bulk', [{ topic: 't' }], 404],
    ['GET', '/clients/nobody/subscriptions', undefined, 404],
    ['POST', '/clients/c-alpha/subscribe', { topic: 't', qos: 3 }, 400],
    ['POST', '/clients/c-alpha/subscribe', { qos: 1 }, 400],
    ['POST', '/clients/c-alpha/subscribe', { topic: '$share/g/t', nl: 1 }, 400],
  ])('%s %s → %i', async (method, path, body, status) => {
    const reply = await sim.request(method, path, { body });
    expect(reply.status).toBe(status);
    if (status === 404) expect(reply.json.code).toBe('CLIENTID_NOT_FOUND');
  });

  it('shows a disconnected persistent session, its queued messages and cursor meta', async () => {
    await sim.request('POST', '/clients/c-beta/subscribe', { body: { topic: 'queue/#', qos: 1 } });
    const beta = (await sim.request('GET', '/clients/c-beta')).json;
    expect(beta.clean_start).toBe(false);
    const reconnect = await sim.connect('c-beta', { clean: false });
    const closed = closeOf(reconnect);
    await reconnect.endAsync();
    await closed;
    await waitFor(async () => (await sim.request('GET', '/clients/c-beta')).json.connected === false);
    const list = await sim.request('GET', '/clients?conn_state=disconnected');
    expect(list.json.data.map((c: { clientid: string }) => c.clientid)).toEqual(['c-beta']);
    expect(list.json.data[0].disconnected_at).toMatch(RFC3339_MS);
    await sim.request('POST', '/publish', { body: { topic: 'queue/1', payload: 'hello', qos: 1 } });
    const first = await sim.request('GET', '/clients/c-beta/mqueue_messages?limit=10');
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(1);
    expect(first.json.data[0]).toMatchObject({
      topic: 'queue/1',
      qos: 1,
      payload: Buffer.from('hello').toString('base64'),
      from_clientid: 'http_api',
    });
    expect(first.json.meta.start).toMatch(/^\d+_0$/);
    const next = await sim.request(
      'GET',
      `/clients/c-beta/mqueue_messages?position=${first.json.meta.position}`,
    );
    expect(next.json).toEqual({ data: [], meta: { start: 'none', position: 'end_of_data' } });
    expect((await sim.request('GET', '/clients/c-beta')).json.mqueue_len).toBe(1);
  });

  it('inflight_messages answers the cursor shape; bad positions are 400 position_limit_invalid', async () => {
    const reply = await sim.request('GET', '/clients/c-alpha/inflight_messages');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ data: [], meta: { start: 'none', position: 'none' } });
    const bad = await sim.request('GET', '/clients/c-alpha/mqueue_messages?position=garbage');
    expect(bad.json).toEqual({ code: 'INVALID_PARAMETER', message: 'position_limit_invalid' });
    expect((await sim.request('GET', '/clients/nobody/inflight_messages')).status).toBe(404);
  });

  it('authorization cache is an array of recent decisions; DELETE answers 204', async () => {
    await alpha.publishAsync('cache/t', 'x', { qos: 1 });
    const cache = await sim.request('GET', '/clients/c-alpha/authorization/cache');
    expect(cache.status).toBe(200);
    expect(cache.json).toContainEqual({
      access: 'publish',
      result: 'allow',
      topic: 'cache/t',
      updated_time: expect.any(Number),
    });
    expect((await sim.request('DELETE', '/clients/c-alpha/authorization/cache')).status).toBe(204);
    expect((await sim.request('GET', '/clients/c-alpha/authorization/cache')).json).toEqual([]);
    expect((await sim.request('DELETE', '/authorization/cache')).status).toBe(204);
    expect((await sim.request('GET', '/clients/nobody/authorization/cache')).status).toBe(404);
  });

  it('kicks a client (204, its connection closes) and 404s an unknown one', async () => {
    const victim = await sim.connect('c-kicked');
    const closed = closeOf(victim);
    expect((await sim.request('DELETE', '/clients/c-kicked')).status).toBe(204);
    await closed;
    expect((await sim.request('GET', '/clients/c-kicked')).status).toBe(404);
    expect((await sim.request('DELETE', '/clients/c-kicked')).json).toEqual({
      code: 'CLIENTID_NOT_FOUND',
      message: 'Client ID not found',
    });
  });

  it('kickout/bulk answers 204 and ignores unknown ids', async () => {
    const victim = await sim.connect('c-bulk');
    const closed = closeOf(victim);
    const reply = await sim.request('POST', '/clients/kickout/bulk', { body: ['c-bulk', 'not-there'] });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    await closed;
  });
});
