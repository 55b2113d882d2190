import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startV4, type V4Harness } from '../helpers/sim-v4.ts';

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

let sim: V4Harness;
let alpha: MqttClient;
let beta: MqttClient;

beforeAll(async () => {
  sim = await startV4();
  alpha = await sim.connect('alpha-1');
  beta = await sim.connect('beta-2', { clean: false });
  await sim.connect('dev/1 a');
  await alpha.subscribeAsync({ 't/1': { qos: 1 }, '$share/g/t/2': { qos: 0 } });
});

afterAll(() => sim.close());

describe('v4 transport (minirest)', () => {
  it.each([
    ['no credentials', null],
    ['a wrong secret', { user: 'nobody', pass: 'wrong' }],
  ])('answers 401 plain-text UNAUTHORIZED for %s', async (_, auth) => {
    const reply = await sim.request('GET', '/api/v4/clients', { auth });
    expect(reply.status).toBe(401);
    expect(reply.text).toBe('UNAUTHORIZED');
    expect(reply.headers.get('www-authenticate')).toBe('Basic Realm="minirest-server"');
  });

  it.each([
    ['GET', '/api/v4/nope'],
    ['PATCH', '/api/v4/clients'],
    ['DELETE', '/api/v4/brokers'],
    ['GET', '/api/v4/nodes/other@10.0.0.1/clients'],
    ['GET', '/api/v4/nodes/emqx%40127.0.0.1/clients'],
    ['GET', '/api/v4/alarms/present'],
    ['GET', '/api/v4/node/emqx@127.0.0.1/acl-cache'],
  ])('%s %s is 404 text/plain "Not found."', async (method, path) => {
    const reply = await sim.request(method, path);
    expect([reply.status, reply.text]).toEqual([404, 'Not found.']);
    expect(reply.headers.get('content-type')).toBe('text/plain');
  });

  it('answers 400 text/plain "Bad Request" to a body that is not JSON', async () => {
    const reply = await sim.request('POST', '/api/v4/mqtt/publish', { raw: 'topic=a&payload=b' });
    expect([reply.status, reply.text]).toEqual([400, 'Bad Request']);
  });

  it('lists its routes on GET /api/v4', async () => {
    const reply = await sim.request('GET', '/api/v4');
    expect(reply.json.code).toBe(0);
    expect(reply.json.data).toContainEqual({
      name: 'lookup_client',
      method: 'GET',
      path: '/clients/:clientid',
      descr: 'Lookup a client in the cluster',
    });
    expect(reply.json.data.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['mqtt_publish', 'list_rules', 'list_banned', 'list_all_alarms']),
    );
  });
});

describe('v4 brokers and nodes', () => {
  it('GET /brokers and /brokers/{node}', async () => {
    const list = await sim.request('GET', '/api/v4/brokers');
    const broker = {
      datetime: expect.stringMatching(TIME),
      node: sim.node,
      node_status: 'Running',
      otp_release: expect.any(String),
      sysdescr: 'EMQX Broker',
      uptime: expect.stringMatching(/seconds$/),
      version: '4.4.19',
    };
    expect(list.json).toEqual({ code: 0, data: [broker] });
    expect((await sim.request('GET', `/api/v4/brokers/${sim.node}`)).json).toEqual({ code: 0, data: broker });
  });

  it('GET /nodes and /nodes/{node}: string loads and "kmg" memory, live connection counts', async () => {
    const list = await sim.request('GET', '/api/v4/nodes');
    const node = list.json.data[0];
    expect(node).toMatchObject({ node: sim.node, node_status: 'Running', version: '4.4.19', connections: 3 });
    expect(node.live_connections).toBe(3);
    for (const key of ['load1', 'load5', 'load15']) expect(node[key]).toMatch(/^\d+\.\d{2}$/);
    for (const key of ['memory_total', 'memory_used']) expect(node[key]).toMatch(/^\d+\.\d{2}[KMG]$/);
    const one = await sim.request('GET', `/api/v4/nodes/${sim.node}`);
    expect(one.json.data).toMatchObject({ node: sim.node, connections: 3, memory_total: node.memory_total });
  });
});

describe('v4 clients', () => {
  it('lists clients with v4 field names, UTC times and full meta', async () => {
    const reply = await sim.request('GET', '/api/v4/clients');
    expect(reply.json.meta).toEqual({ page: 1, limit: 10000, count: 3, hasnext: false });
    const client = reply.json.data.find((c: { clientid: string }) => c.clientid === 'alpha-1');
    expect(client).toMatchObject({
      node: sim.node,
      username: sim.user.username,
      proto_name: 'MQTT',
      proto_ver: 4,
      ip_address: '127.0.0.1',
      connected: true,
      zone: 'external',
      clean_start: true,
      subscriptions_cnt: 2,
      max_subscriptions: 0,
      inflight: 0,
      max_inflight: expect.any(Number),
      awaiting_rel: 0,
      max_awaiting_rel: expect.any(Number),
      mqueue_len: 0,
      max_mqueue: expect.any(Number),
      connected_at: expect.stringMatching(TIME),
      created_at: expect.stringMatching(TIME),
    });
    expect(client).not.toHaveProperty('disconnected_at');
    expect(client).not.toHaveProperty('inflight_cnt');
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['clientid=alpha-1', ['alpha-1']],
    ['username=sensor-01', ['alpha-1', 'beta-2', 'dev/1 a']],
    ['zone=external&conn_state=connected', ['alpha-1', 'beta-2', 'dev/1 a']],
    ['ip_address=127.0.0.1&proto_name=MQTT&proto_ver=4', ['alpha-1', 'beta-2', 'dev/1 a']],
    ['clean_start=false', ['beta-2']],
    ['_like_clientid=ta-', ['beta-2']],
    ['_like_username=nsor', ['alpha-1', 'beta-2', 'dev/1 a']],
    [`_gte_created_at=${now() - 600}&_lte_created_at=${now() + 600}`, ['alpha-1', 'beta-2', 'dev/1 a']],
    [`_lte_connected_at=${now() - 600}`, []],
    ['_gte_mqueue_len=0&_lte_mqueue_len=0', ['alpha-1', 'beta-2', 'dev/1 a']],
    ['_gte_mqueue_dropped=1', []],
    ['clientid=alpha-1&_like_clientid=zzz', ['alpha-1']],
  ])('filters by %s with count -1', async (query, expected) => {
    const reply = await sim.request('GET', `/api/v4/clients?${query}`);
    expect(reply.json.code).toBe(0);
    expect(reply.json.meta.count).toBe(-1);
    expect(reply.json.data.map((c: { clientid: string }) => c.clientid).sort()).toEqual(expected);
  });

  it.each([
    ['proto_ver=four', 'Can\'t convert <<"four">> to integer type'],
    ['ip_address=localhost', 'Can\'t convert <<"localhost">> to ip type'],
    ['_gte_created_at=yesterday', 'Can\'t convert <<"yesterday">> to timestamp type'],
  ])('answers code 108 inside HTTP 200 for %s', async (query, message) => {
    const reply = await sim.request('GET', `/api/v4/clients?${query}`);
    expect([reply.status, reply.json]).toEqual([200, { code: 108, message }]);
  });

  it('pages with _page/_limit and hasnext, also per node', async () => {
    const first = await sim.request('GET', '/api/v4/clients?_limit=2');
    expect(first.json.meta).toEqual({ page: 1, limit: 2, count: 3, hasnext: true });
    const last = await sim.request('GET', `/api/v4/nodes/${sim.node}/clients?_limit=2&_page=2`);
    expect(last.json.meta).toEqual({ page: 2, limit: 2, count: 3, hasnext: false });
    expect(last.json.data).toHaveLength(1);
  });

  it('GET /clients/{id} is an array, [] when unknown, with a percent-decoded id', async () => {
    const found = await sim.request('GET', '/api/v4/clients/dev%2F1%20a');
    expect(found.json.code).toBe(0);
    expect(found.json.data.map((c: { clientid: string }) => c.clientid)).toEqual(['dev/1 a']);
    expect((await sim.request('GET', '/api/v4/clients/ghost')).json).toEqual({ code: 0, data: [] });
    const onNode = await sim.request('GET', `/api/v4/nodes/${sim.node}/clients/alpha-1`);
    expect(onNode.json.data).toHaveLength(1);
  });

  it('GET /clients/username/{username}', async () => {
    const reply = await sim.request('GET', '/api/v4/clients/username/sensor-01');
    expect(reply.json.data).toHaveLength(3);
    const none = await sim.request('GET', `/api/v4/nodes/${sim.node}/clients/username/nobody`);
    expect(none.json).toEqual({ code: 0, data: [] });
  });

  it('reads and clears the ACL cache; 112 for an unknown client', async () => {
    await alpha.publishAsync('t/cache', 'x', { qos: 1 });
    const cache = await sim.request('GET', '/api/v4/clients/alpha-1/acl_cache');
    expect(cache.json.code).toBe(0);
    expect(cache.json.data).toContainEqual({
      access: 'publish',
      topic: 't/cache',
      result: 'allow',
      updated_time: expect.any(Number),
    });
    expect((await sim.request('DELETE', '/api/v4/clients/alpha-1/acl_cache')).json).toEqual({ code: 0 });
    expect((await sim.request('GET', '/api/v4/clients/alpha-1/acl_cache')).json).toEqual({
      code: 0,
      data: [],
    });
    for (const method of ['GET', 'DELETE']) {
      const missing = await sim.request(method, '/api/v4/clients/ghost/acl_cache');
      expect(missing.json).toEqual({ code: 112, message: 'not_found' });
    }
    expect((await sim.request('DELETE', '/api/v4/acl-cache')).json).toEqual({ code: 0 });
    expect((await sim.request('DELETE', `/api/v4/nodes/${sim.node}/acl-cache`)).json).toEqual({ code: 0 });
  });

  it('kick answers {code:0}, then 112 not_found', async () => {
    expect((await sim.request('DELETE', '/api/v4/clients/dev%2F1%20a')).json).toEqual({ code: 0 });
    expect((await sim.request('DELETE', '/api/v4/clients/dev%2F1%20a')).json).toEqual({
      code: 112,
      message: 'not_found',
    });
  });
});

describe('v4 subscriptions and routes', () => {
  const topics = (reply: { json: { data: Array<{ topic: string }> } }) =>
    reply.json.data.map((s) => s.topic).sort();

  it('lists subscriptions, shared ones as $share/<group>/<topic>', async () => {
    const reply = await sim.request('GET', '/api/v4/subscriptions');
    expect(reply.json.meta).toEqual({ page: 1, limit: 10000, count: 2, hasnext: false });
    expect(reply.json.data).toContainEqual({ node: sim.node, clientid: 'alpha-1', topic: 't/1', qos: 1 });
    expect(topics(reply)).toEqual(['$share/g/t/2', 't/1']);
  });

  it.each([
    ['clientid=alpha-1', ['$share/g/t/2', 't/1'], -1],
    ['qos=1', ['t/1'], -1],
    ['share=g', ['$share/g/t/2'], -1],
    ['_match_topic=t/%23', ['$share/g/t/2', 't/1'], -1],
    ['_match_topic=t/%2B/x', [], -1],
    ['topic=t%2F1', ['t/1'], 1],
    ['topic=t/2&share=g', ['$share/g/t/2'], 1],
  ])('filters by %s', async (query, expected, count) => {
    const reply = await sim.request('GET', `/api/v4/subscriptions?${query}`);
    expect(topics(reply)).toEqual(expected);
    expect(reply.json.meta.count).toBe(count);
  });

  it('crashes (HTTP 500) on a non-integer qos filter: this API has no 108 fence', async () => {
    const reply = await sim.request('GET', '/api/v4/subscriptions?qos=high');
    expect([reply.status, reply.text]).toEqual([500, 'Internal Error']);
  });

  it('GET /subscriptions/{clientid} and per node', async () => {
    const reply = await sim.request('GET', '/api/v4/subscriptions/alpha-1');
    expect(reply.json.code).toBe(0);
    expect(topics(reply)).toEqual(['$share/g/t/2', 't/1']);
    expect(reply.json).not.toHaveProperty('meta');
    const node = await sim.request('GET', `/api/v4/nodes/${sim.node}/subscriptions/alpha-1`);
    expect(topics(node)).toEqual(['$share/g/t/2', 't/1']);
    expect((await sim.request('GET', '/api/v4/subscriptions/ghost')).json).toEqual({ code: 0, data: [] });
  });

  it('GET /routes (paginate meta without hasnext) and /routes/{topic}', async () => {
    const reply = await sim.request('GET', '/api/v4/routes');
    expect(reply.json.meta).toEqual({ page: 1, limit: 10000, count: 2 });
    expect(reply.json.data).toEqual(expect.arrayContaining([{ topic: 't/1', node: sim.node }]));
    const one = await sim.request('GET', '/api/v4/routes/t%2F2');
    expect(one.json).toEqual({ code: 0, data: [{ topic: 't/2', node: sim.node }] });
  });
});

describe('v4 persistent sessions', () => {
  it('lists a disconnected persistent session with connected false and disconnected_at', async () => {
    await beta.endAsync();
    const client = await vi.waitFor(async () => {
      const reply = await sim.request('GET', '/api/v4/clients?conn_state=disconnected');
      expect(reply.json.data).toHaveLength(1);
      return reply.json.data[0];
    });
    expect(client).toMatchObject({ clientid: 'beta-2', connected: false, clean_start: false });
    expect(client.disconnected_at).toMatch(TIME);
    expect(client.expiry_interval).toBeGreaterThan(0);
    const all = await sim.request('GET', '/api/v4/clients');
    expect(all.json.meta.count).toBe(2);
  });
});
