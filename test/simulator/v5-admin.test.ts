import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimBrokerHarness, startSimBroker } from '../helpers/sim-broker.ts';

const RFC3339_S = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const AUTHN = '/authentication/password_based%3Abuilt_in_database';
const AUTHZ = '/authorization/sources/built_in_database/rules';

describe('v5 management: banned, nodes, stats, metrics, alarms (docs/emqx-api.md §4.4, §4.7)', () => {
  let sim: SimBrokerHarness;

  beforeAll(async () => {
    sim = await startSimBroker();
    await sim.connect('admin-probe');
  });
  afterAll(() => sim.close());

  it('POST /banned → 200 bare ban with defaults; duplicate → 400 ALREADY_EXISTS with the existing ban as text', async () => {
    const reply = await sim.request('POST', '/banned', { body: { as: 'clientid', who: 'bad-1' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      as: 'clientid',
      who: 'bad-1',
      by: 'mgmt_api',
      reason: '',
      at: expect.stringMatching(RFC3339_S),
      until: 'infinity',
    });
    const again = await sim.request('POST', '/banned', { body: { as: 'clientid', who: 'bad-1' } });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('ALREADY_EXISTS');
    expect(JSON.parse(again.json.message)).toMatchObject({ as: 'clientid', who: 'bad-1' });
  });

  it.each([
    [{ who: 'x' }],
    [{ as: 'mac', who: 'x' }],
    [{ as: 'peerhost_net', who: '10.0.0.0/99' }],
    [{ as: 'clientid_re', who: '(' }],
    [{ as: 'clientid', who: 'late', until: 1 }],
  ])('POST /banned %j → 400 BAD_REQUEST', async (body) => {
    const reply = await sim.request('POST', '/banned', { body });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe('BAD_REQUEST');
  });

  it('lists bans with the meta shape of each filter kind', async () => {
    await sim.request('POST', '/banned', {
      body: {
        as: 'username',
        who: 'mallory',
        reason: 'spam',
        until: Math.floor(sim.clock.now() / 1000) + 3600,
      },
    });
    await sim.request('POST', '/banned', { body: { as: 'peerhost_net', who: '192.168.0.0/16' } });
    const all = await sim.request('GET', '/banned');
    expect(all.json.meta).toEqual({ page: 1, limit: 100, count: 3 });
    const exact = await sim.request('GET', '/banned?username=mallory');
    expect(exact.json.meta).toEqual({ page: 1, limit: 100, hasnext: false, count: 1 });
    expect(exact.json.data[0]).toMatchObject({
      as: 'username',
      who: 'mallory',
      reason: 'spam',
      until: expect.stringMatching(RFC3339_S),
    });
    const fuzzy = await sim.request('GET', '/banned?like_peerhost_net=192');
    expect(fuzzy.json.meta).toEqual({ page: 1, limit: 100, hasnext: false });
    expect(fuzzy.json.data).toHaveLength(1);
    expect((await sim.request('GET', '/banned?like_clientid=(')).status).toBe(400);
  });

  it('DELETE /banned/{as}/{who} → 204, then 404; DELETE /banned → 204', async () => {
    expect((await sim.request('DELETE', '/banned/peerhost_net/192.168.0.0%2F16')).status).toBe(204);
    const missing = await sim.request('DELETE', '/banned/clientid/nobody');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 'NOT_FOUND', message: 'clientid: nobody not found' });
    expect((await sim.request('DELETE', '/banned')).status).toBe(204);
    expect((await sim.request('GET', '/banned')).json.meta.count).toBe(0);
  });

  it('GET /nodes → bare array with uptime in ms; /nodes/{node} → object; unknown → 404', async () => {
    const nodes = await sim.request('GET', '/nodes');
    expect(nodes.status).toBe(200);
    expect(nodes.json).toHaveLength(1);
    expect(nodes.json[0]).toMatchObject({
      node: 'emqx@10.0.1.17',
      node_status: 'running',
      version: '5.8.1',
      edition: 'Enterprise',
      role: 'core',
      connections: 1,
      live_connections: 1,
    });
    expect(Number.isInteger(nodes.json[0].uptime)).toBe(true);
    expect(nodes.json[0].memory_total).toMatch(/^\d+\.\d{2}M$/);
    expect((await sim.request('GET', '/nodes/emqx%4010.0.1.17')).json.node).toBe('emqx@10.0.1.17');
    const missing = await sim.request('GET', '/nodes/emqx@nowhere');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 'NOT_FOUND', message: 'Node not found: emqx@nowhere' });
  });

  it.each(['/stats', '/metrics'])(
    'GET %s → per-node array; aggregate=true → one flat object',
    async (path) => {
      const perNode = await sim.request('GET', path);
      expect(perNode.json).toHaveLength(1);
      expect(perNode.json[0].node).toBe('emqx@10.0.1.17');
      const flat = await sim.request('GET', `${path}?aggregate=true`);
      expect(Array.isArray(flat.json)).toBe(false);
      expect(flat.json).not.toHaveProperty('node');
      const node = await sim.request('GET', `/nodes/emqx@10.0.1.17${path}`);
      expect(node.status).toBe(200);
    },
  );

  it('stats and metrics come from live state', async () => {
    const stats = (await sim.request('GET', '/stats?aggregate=true')).json;
    expect(stats).toMatchObject({
      'connections.count': 1,
      'live_connections.count': 1,
      'sessions.count': 1,
      'subscriptions.count': 0,
      'topics.count': 0,
    });
    expect(stats['connections.max']).toBeGreaterThanOrEqual(1);
    const metrics = (await sim.request('GET', '/metrics?aggregate=true')).json;
    expect(metrics['client.connected']).toBeGreaterThanOrEqual(1);
    expect(metrics['bytes.received']).toBeGreaterThan(0);
    expect(metrics).toHaveProperty('messages.dropped.no_subscribers');
  });

  it('alarms: activated (default) and history with deactivate_at; DELETE clears history', async () => {
    const active = await sim.request('GET', '/alarms');
    expect(active.json).toEqual({ data: [], meta: { page: 1, limit: 100, hasnext: false, count: 0 } });
    const history = await sim.request('GET', '/alarms?activated=false');
    expect(history.json.data[0]).toMatchObject({
      node: 'emqx@10.0.1.17',
      name: 'high_system_memory_usage',
      duration: expect.any(Number),
      activate_at: expect.stringMatching(/T.*\.\d{3}/),
      deactivate_at: expect.any(String),
    });
    expect((await sim.request('DELETE', '/alarms')).status).toBe(204);
    expect((await sim.request('GET', '/alarms?activated=false')).json.meta.count).toBe(0);
  });
});

describe('v5 rules (docs/emqx-api.md §4.6)', () => {
  let sim: SimBrokerHarness;
  const rule = {
    id: 'r_temp',
    sql: 'SELECT payload.temp as t FROM "sensors/#" WHERE payload.temp > 20',
    actions: [{ function: 'console' }],
    description: 'hot',
  };

  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('POST /rules → 201 rule with from parsed from the SQL; same id again → 400', async () => {
    const reply = await sim.request('POST', '/rules', { body: rule });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      id: 'r_temp',
      name: '',
      sql: rule.sql,
      actions: [{ function: 'console' }],
      enable: true,
      description: 'hot',
      from: ['sensors/#'],
    });
    expect(reply.json.created_at).toMatch(/\.\d{3}[+-]/);
    const again = await sim.request('POST', '/rules', { body: rule });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ code: 'BAD_REQUEST', message: 'rule id already exists' });
  });

  it('generates an 8-hex id and fills republish defaults', async () => {
    const reply = await sim.request('POST', '/rules', {
      body: {
        sql: 'SELECT * FROM "a/#", "b/+"',
        actions: [{ function: 'republish', args: { topic: `out/\${topic}` } }, 'http:hook'],
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.json.id).toMatch(/^[0-9a-f]{8}$/);
    expect(reply.json.from).toEqual(['a/#', 'b/+']);
    expect(reply.json.actions).toEqual([
      {
        function: 'republish',
        args: {
          topic: `out/\${topic}`,
          qos: 0,
          retain: false,
          payload: '',
          mqtt_properties: {},
          user_properties: `\${user_properties}`,
          direct_dispatch: false,
        },
      },
      'http:hook',
    ]);
  });

  it.each([
    [{ sql: 'SELEKT nonsense' }],
    [{ actions: [] }],
    [{ sql: 'SELECT * FROM "t"', actions: [{ function: 'republish', args: {} }] }],
  ])('POST /rules %j → 400 BAD_REQUEST', async (body) => {
    const reply = await sim.request('POST', '/rules', { body });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe('BAD_REQUEST');
  });

  it('lists with filters; count is left out with like_/match_ filters', async () => {
    expect((await sim.request('GET', '/rules')).json.meta).toEqual({
      page: 1,
      limit: 100,
      hasnext: false,
      count: 2,
    });
    const exact = await sim.request('GET', '/rules?from=sensors%2F%23');
    expect(exact.json.data.map((r: { id: string }) => r.id)).toEqual(['r_temp']);
    const like = await sim.request('GET', '/rules?like_description=ho');
    expect(like.json.meta).toEqual({ page: 1, limit: 100, hasnext: false });
    expect((await sim.request('GET', '/rules?action=http%3Ahook')).json.data).toHaveLength(1);
  });

  it('GET/PUT(upsert)/DELETE /rules/{id}', async () => {
    expect((await sim.request('GET', '/rules/r_temp')).json.id).toBe('r_temp');
    const missing = await sim.request('GET', '/rules/nope');
    expect(missing.json).toEqual({ code: 'NOT_FOUND', message: 'Rule Id Not Found' });
    const put = await sim.request('PUT', '/rules/r_new', {
      body: { sql: 'SELECT * FROM "x"', enable: false },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: 'r_new', enable: false });
    expect((await sim.request('DELETE', '/rules/r_new')).status).toBe(204);
    expect((await sim.request('DELETE', '/rules/r_new')).status).toBe(404);
  });

  it('metrics count real traffic; reset answers 204', async () => {
    await sim.request('POST', '/publish', { body: { topic: 'sensors/1', payload: '{"temp":25}' } });
    await sim.request('POST', '/publish', { body: { topic: 'sensors/2', payload: '{"temp":5}' } });
    const metrics = await sim.request('GET', '/rules/r_temp/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.json.id).toBe('r_temp');
    expect(metrics.json.metrics).toMatchObject({
      matched: 2,
      passed: 1,
      'actions.total': 1,
      'actions.success': 1,
      'matched.rate': 0,
    });
    expect(metrics.json.node_metrics[0]).toMatchObject({ node: 'emqx@10.0.1.17', matched: 2 });
    expect((await sim.request('PUT', '/rules/r_temp/metrics/reset')).status).toBe(204);
    expect((await sim.request('GET', '/rules/r_temp/metrics')).json.metrics.matched).toBe(0);
    expect((await sim.request('GET', '/rules/nope/metrics')).status).toBe(404);
  });

  it('/rule_test → 200 output, 412 NOT_MATCH, 400 bad SQL', async () => {
    const sql = 'SELECT payload.temp as t, clientid FROM "s/#" WHERE payload.temp > 20';
    const hit = await sim.request('POST', '/rule_test', {
      body: { sql, context: { topic: 's/1', payload: '{"temp":30}', clientid: 'dev' } },
    });
    expect(hit.status).toBe(200);
    expect(hit.json).toEqual({ t: 30, clientid: 'dev' });
    const miss = await sim.request('POST', '/rule_test', {
      body: { sql, context: { topic: 's/1', payload: '{"temp":3}' } },
    });
    expect(miss.status).toBe(412);
    expect(miss.json).toEqual({ code: 'NOT_MATCH', message: 'SQL Not Match' });
    expect((await sim.request('POST', '/rule_test', { body: { sql: 'SELECT FROM' } })).status).toBe(400);
  });

  it('/rules/{id}/test runs the stored SQL; unknown rule → 404 RULE_NOT_FOUND', async () => {
    const hit = await sim.request('POST', '/rules/r_temp/test', {
      body: { context: { topic: 'sensors/9', payload: '{"temp":40}' } },
    });
    expect(hit.status).toBe(200);
    expect(hit.json).toEqual({ t: 40 });
    const missing = await sim.request('POST', '/rules/nope/test', { body: { context: {} } });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('RULE_NOT_FOUND');
  });

  it('/rule_events is a bare array of event descriptions', async () => {
    const reply = await sim.request('GET', '/rule_events');
    expect(Array.isArray(reply.json)).toBe(true);
    expect(reply.json.map((e: { event: string }) => e.event)).toContain('$events/client_connected');
    expect(Object.keys(reply.json[0])).toEqual([
      'event',
      'title',
      'description',
      'columns',
      'test_columns',
      'sql_example',
    ]);
  });
});

describe('v5 authentication users and authorization rules (docs/emqx-api.md §4.8, §4.9)', () => {
  let sim: SimBrokerHarness;

  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  it('users CRUD: 201, 409 ALREADY_EXISTS, 200 bare object, PUT 200, DELETE 204, 404', async () => {
    const created = await sim.request('POST', `${AUTHN}/users`, {
      body: { user_id: 'u1', password: 'p1', is_superuser: true },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ user_id: 'u1', is_superuser: true });
    const dup = await sim.request('POST', `${AUTHN}/users`, { body: { user_id: 'u1', password: 'p1' } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ code: 'ALREADY_EXISTS', message: 'User already exists' });
    const missing = await sim.request('POST', `${AUTHN}/users`, { body: { user_id: 'u2' } });
    expect(missing.json).toEqual({ code: 'BAD_REQUEST', message: 'Missing required parameter: password' });
    expect((await sim.request('GET', `${AUTHN}/users/u1`)).json).toEqual({
      user_id: 'u1',
      is_superuser: true,
    });
    const put = await sim.request('PUT', `${AUTHN}/users/u1`, { body: { password: 'p2' } });
    expect(put.json).toEqual({ user_id: 'u1', is_superuser: true });
    expect((await sim.request('DELETE', `${AUTHN}/users/u1`)).status).toBe(204);
    expect((await sim.request('GET', `${AUTHN}/users/u1`)).json).toEqual({
      code: 'NOT_FOUND',
      message: 'User not found',
    });
  });

  it('lists users (the seeded device user included) with query meta; raw colon in the id works too', async () => {
    const list = await sim.request('GET', '/authentication/password_based:built_in_database/users');
    expect(list.json.data).toContainEqual({ user_id: 'device-01', is_superuser: false });
    expect(list.json.meta).toMatchObject({ page: 1, limit: 100, hasnext: false, count: 1 });
    expect((await sim.request('GET', `${AUTHN}/users?like_user_id=dev`)).json.meta).not.toHaveProperty(
      'count',
    );
    expect((await sim.request('GET', '/authentication/jwt/users')).status).toBe(404);
  });

  it('import_users answers 204 (5.8.1) and the imported users can connect', async () => {
    const reply = await sim.request('POST', `${AUTHN}/import_users?type=plain`, {
      body: [{ user_id: 'bulk-1', password: 'b1' }],
    });
    expect(reply.status).toBe(204);
    const client = await sim.connect('bulk-client', { username: 'bulk-1', password: 'b1' });
    expect(client.connected).toBe(true);
  });

  it('authz users/clients: POST array 204, 409 on duplicates, GET/PUT/DELETE one', async () => {
    const rules = [{ topic: 'secret/#', permission: 'deny', action: 'publish' }];
    expect(
      (await sim.request('POST', `${AUTHZ}/users`, { body: [{ username: 'device-01', rules }] })).status,
    ).toBe(204);
    const dup = await sim.request('POST', `${AUTHZ}/users`, { body: [{ username: 'device-01', rules }] });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ code: 'ALREADY_EXISTS', message: "User 'device-01' already exist" });
    const one = await sim.request('GET', `${AUTHZ}/users/device-01`);
    expect(one.json).toEqual({
      username: 'device-01',
      rules: [{ topic: 'secret/#', permission: 'deny', action: 'publish', qos: [0, 1, 2], retain: 'all' }],
    });
    const list = await sim.request('GET', `${AUTHZ}/users`);
    expect(list.json.meta).toEqual({ page: 1, limit: 100, hasnext: false, count: 1 });
    expect(
      (await sim.request('POST', `${AUTHZ}/clients`, { body: [{ clientid: 'c1', rules }] })).status,
    ).toBe(204);
    expect(
      (await sim.request('POST', `${AUTHZ}/clients`, { body: [{ clientid: 'c1', rules }] })).status,
    ).toBe(409);
    expect(
      (await sim.request('PUT', `${AUTHZ}/clients/c1`, { body: { clientid: 'c1', rules: [] } })).status,
    ).toBe(204);
    expect((await sim.request('DELETE', `${AUTHZ}/clients/c1`)).status).toBe(204);
    expect((await sim.request('GET', `${AUTHZ}/clients/c1`)).json).toEqual({
      code: 'NOT_FOUND',
      message: 'Not Found',
    });
  });

  it('authz all: GET {rules}, POST replaces (204), DELETE 204; DELETE the whole source 204', async () => {
    expect((await sim.request('GET', `${AUTHZ}/all`)).json).toEqual({ rules: [] });
    const body = { rules: [{ topic: '#', permission: 'allow', action: 'all', qos: [0, 1], retain: false }] };
    expect((await sim.request('POST', `${AUTHZ}/all`, { body })).status).toBe(204);
    expect((await sim.request('GET', `${AUTHZ}/all`)).json).toEqual(body);
    expect((await sim.request('POST', `${AUTHZ}/all`, { body: { rules: [{ topic: '#' }] } })).status).toBe(
      400,
    );
    expect((await sim.request('DELETE', `${AUTHZ}/all`)).status).toBe(204);
    expect((await sim.request('DELETE', AUTHZ)).status).toBe(204);
    expect((await sim.request('GET', `${AUTHZ}/users`)).json.data).toEqual([]);
  });

  it('connectors and actions: bare arrays, 201 creates, 400 ALREADY_EXISTS, delete guards', async () => {
    expect((await sim.request('GET', '/actions')).json).toEqual([]);
    expect((await sim.request('GET', '/connectors')).json).toEqual([]);
    const connector = await sim.request('POST', '/connectors', {
      body: { type: 'http', name: 'c1', url: 'http://example.invalid' },
    });
    expect(connector.status).toBe(201);
    expect(connector.json).toMatchObject({ type: 'http', name: 'c1', status: 'disconnected' });
    // A complete body: EMQX checks the schema (url is required) before it looks for a duplicate.
    const again = { type: 'http', name: 'c1', url: 'http://example.invalid' };
    expect((await sim.request('POST', '/connectors', { body: again })).json.code).toBe('ALREADY_EXISTS');
    const action = await sim.request('POST', '/actions', {
      body: { type: 'http', name: 'a1', connector: 'c1', parameters: {} },
    });
    expect(action.status).toBe(201);
    expect(action.json.rules).toEqual([]);
    await sim.request('POST', '/rules', {
      body: { id: 'uses_a1', sql: 'SELECT * FROM "t"', actions: ['http:a1'] },
    });
    const blocked = await sim.request('DELETE', '/actions/http%3Aa1');
    expect(blocked.status).toBe(400);
    expect(blocked.json.rules).toEqual(['uses_a1']);
    expect((await sim.request('DELETE', '/connectors/http%3Ac1')).status).toBe(400);
    await sim.request('DELETE', '/rules/uses_a1');
    expect((await sim.request('DELETE', '/actions/http%3Aa1')).status).toBe(204);
    expect((await sim.request('DELETE', '/connectors/http%3Ac1')).status).toBe(204);
    expect((await sim.request('GET', '/actions/http%3Aa1')).status).toBe(404);
  });
});
