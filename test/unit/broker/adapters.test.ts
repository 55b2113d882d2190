import { describe, expect, it } from 'vitest';
import { createV4Broker } from '../../../src/broker/v4/index.ts';
import { createV5Broker } from '../../../src/broker/v5/index.ts';
import { NotSupportedError } from '../../../src/errors.ts';
import { fakeTransport, fixture } from './fake-transport.ts';

/** The adapters translate documented wire bodies (docs/emqx-api.md) into the same domain values. */

const query = (request: { query?: URLSearchParams }) => Object.fromEntries(request.query ?? []);

describe('v5 adapter', () => {
  it('maps a client: RFC 3339 with offset to UTC, null username, inflight_cnt, "infinity" maxima ignored', async () => {
    const { transport } = fakeTransport({
      'GET /clients': () => ({
        body: { data: [fixture('v5-client')], meta: { page: 1, limit: 100, hasnext: false, count: 2 } },
      }),
    });
    const page = await createV5Broker('d', transport).listClients({}, { page: 1, limit: 100 });
    expect(page).toMatchObject({ totalCount: 2, hasNext: false });
    expect(page.items[0]).toEqual({
      clientId: '01',
      username: null,
      node: 'emqx@127.0.0.1',
      connected: true,
      ipAddress: '127.0.0.1',
      port: 52571,
      protoName: 'MQTT',
      protoVer: 5,
      keepalive: 60,
      cleanStart: true,
      expiryInterval: 0,
      connectedAt: '2024-01-01T04:34:56.789Z',
      disconnectedAt: null,
      createdAt: '2024-01-01T04:34:56.789Z',
      subscriptionsCount: 1,
      inflightCount: 0,
      mqueueLength: 0,
      mqueueDropped: 0,
      receivedMessages: 0,
      sentMessages: 0,
      receivedBytes: 49,
      sentBytes: 31,
    });
  });

  it('translates filters and paging to v5 names, ranges in epoch ms, and fields=', async () => {
    const { transport, requests } = fakeTransport({
      'GET /clients': () => ({ body: { data: [], meta: { hasnext: false } } }),
    });
    const page = await createV5Broker('d', transport).listClients(
      { clientIdContains: 'dev', connectedAfter: new Date('2024-01-01T00:00:00Z'), cleanStart: false },
      { page: 3, limit: 25 },
      { fields: ['username', 'inflightCount'] },
    );
    expect(query(requests[0]!)).toEqual({
      like_clientid: 'dev',
      gte_connected_at: '1704067200000',
      clean_start: 'false',
      page: '3',
      limit: '25',
      fields: 'clientid,username,inflight_cnt',
    });
    expect(page.totalCount).toBeNull();
  });

  it('reads many clients in one request, in key order, null for unknown ones', async () => {
    const { transport, requests } = fakeTransport({
      'GET /clients': () => ({ body: { data: [fixture('v5-client')], meta: { hasnext: false, count: 1 } } }),
    });
    const found = await createV5Broker('d', transport).getClients(['zz', '01', 'zz']);
    expect(found.map((f) => f.value?.clientId ?? null)).toEqual([null, '01', null]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.query?.getAll('clientid')).toEqual(['01', 'zz']);
    expect(requests[0]!.query?.get('limit')).toBe('2');
  });

  it('maps rules, nodes, alarms and bans', async () => {
    const { transport } = fakeTransport({
      'GET /rules/{}': () => ({ body: fixture('v5-rule') }),
      'GET /nodes': () => ({ body: fixture('v5-nodes') }),
      'GET /alarms': () => ({ body: fixture('v5-alarms') }),
      'GET /banned': () => ({ body: fixture('v5-banned') }),
    });
    const broker = createV5Broker('d', transport);
    expect((await broker.getRule('rule_a')).value).toEqual({
      id: 'rule_a',
      name: 'forward',
      sql: 'SELECT * FROM "t/#"',
      enabled: true,
      description: null,
      topics: ['t/#'],
      actions: ['http:my_action', { function: 'console' }],
      createdAt: '2024-01-01T04:34:56.789Z',
    });
    expect((await broker.nodes()).value).toEqual([
      { name: 'emqx@127.0.0.1', status: 'running', version: '5.8.1', uptimeSeconds: 15679, connections: 2 },
    ]);
    expect((await broker.alarms(true)).value[0]).toMatchObject({
      name: 'high_system_memory_usage',
      activatedAt: '2024-01-01T04:34:56.789Z',
      deactivatedAt: null,
    });
    const bans = await broker.listBans({ page: 1, limit: 100 });
    expect(bans.items).toEqual([
      {
        kind: 'PEER_HOST_NET',
        who: '10.0.0.0/8',
        by: 'mgmt_api',
        reason: null,
        at: '2024-10-01T02:00:00.000Z',
        until: null,
      },
    ]);
    // `paginate/3` meta has no hasnext: the count decides.
    expect(bans).toMatchObject({ totalCount: 1, hasNext: false });
  });

  it('answers NOT_SUPPORTED for v4-only data', async () => {
    const broker = createV5Broker('d', fakeTransport({}).transport);
    await expect(broker.plugins()).rejects.toBeInstanceOf(NotSupportedError);
  });
});

describe('v4 adapter', () => {
  it('maps a client: zoneless times as UTC, inflight → inflightCount', async () => {
    const { transport, requests } = fakeTransport({
      'GET /clients/{}': () => ({ body: { code: 0, data: [fixture('v4-client')] } }),
    });
    const [found] = await createV4Broker('d', transport).getClients(['a/b']);
    expect(requests[0]!.path.path).toBe('/clients/a%2Fb');
    expect(found!.value).toMatchObject({
      clientId: 'example',
      username: 'test',
      connectedAt: '2020-02-20T13:26:54.000Z',
      createdAt: '2020-02-20T13:26:54.000Z',
      disconnectedAt: null,
      inflightCount: 3,
      subscriptionsCount: 2,
      receivedBytes: 33,
    });
  });

  it('answers null for a client v4 reports as an empty array', async () => {
    const { transport } = fakeTransport({ 'GET /clients/{}': () => ({ body: { code: 0, data: [] } }) });
    expect((await createV4Broker('d', transport).getClients(['gone']))[0]!.value).toBeNull();
  });

  it('translates filters to v4 names (_like_, _gte_ in seconds, _page/_limit) and a count of -1 to null', async () => {
    const { transport, requests } = fakeTransport({
      'GET /nodes/{}/clients': () => ({
        body: {
          code: 0,
          data: [fixture('v4-client')],
          meta: { page: 2, limit: 10, count: -1, hasnext: true },
        },
      }),
    });
    const page = await createV4Broker('d', transport).listClients(
      { clientIdContains: 'ex', node: 'emqx@127.0.0.1', createdBefore: new Date('2024-01-01T00:00:00Z') },
      { page: 2, limit: 10 },
    );
    expect(requests[0]!.path.path).toBe('/nodes/emqx@127.0.0.1/clients');
    expect(query(requests[0]!)).toEqual({
      _like_clientid: 'ex',
      _lte_created_at: '1704067200',
      _page: '2',
      _limit: '10',
    });
    expect(page).toMatchObject({ totalCount: null, hasNext: true });
  });

  it('maps rules with metrics inside, nodes with text uptime, summed stats, alarms in µs and bans in s', async () => {
    const { transport } = fakeTransport({
      'GET /rules': () => ({
        body: { code: 0, data: [fixture('v4-rule')], meta: { page: 1, limit: 10, count: 1, hasnext: false } },
      }),
      'GET /nodes': () => ({ body: fixture('v4-nodes') }),
      'GET /stats': () => ({ body: fixture('v4-stats') }),
      'GET /alarms/activated': () => ({ body: fixture('v4-alarms') }),
      'GET /banned': () => ({ body: fixture('v4-banned') }),
    });
    const broker = createV4Broker('d', transport);
    const rules = await broker.listRules({ page: 1, limit: 10 });
    expect(rules.items[0]).toMatchObject({
      id: 'rule:7fdb2c9e',
      name: null,
      sql: 'select * from "t/a"',
      enabled: true,
      description: 'test-rule',
      topics: ['t/a'],
      createdAt: '2020-02-20T06:40:24.571Z',
      metrics: [{ node: 'emqx@127.0.0.1', matched: 0, speed: 0, speed_max: 0, speed_last5m: 0 }],
    });
    expect((await broker.nodes()).value).toEqual([
      { name: 'emqx@127.0.0.1', status: 'running', version: '4.4.19', uptimeSeconds: 15679, connections: 2 },
    ]);
    expect((await broker.stats()).value.raw).toEqual({
      'connections.count': 5,
      'connections.max': 9,
      'topics.count': 7,
      'retained.count': 2,
      'subscriptions.count': 5,
      'sessions.count': 5,
    });
    expect((await broker.alarms(true)).value).toEqual([
      {
        name: 'high_system_memory_usage',
        message: 'System memory usage is higher than 70%',
        node: 'emqx@127.0.0.1',
        activatedAt: '2020-02-20T06:40:24.571Z',
        deactivatedAt: null,
        details: { high_watermark: 70 },
      },
    ]);
    const bans = await broker.listBans({ page: 1, limit: 10000 });
    expect(bans.items).toEqual([
      {
        kind: 'CLIENT_ID',
        who: 'example',
        by: 'user',
        reason: 'banned',
        at: '2020-02-20T06:40:24.000Z',
        until: '2020-02-20T06:45:24.000Z',
      },
    ]);
    expect(bans).toMatchObject({ totalCount: 1, hasNext: false });
  });

  it('answers NOT_SUPPORTED for v5-only data', async () => {
    const broker = createV4Broker('d', fakeTransport({}).transport);
    await expect(broker.listRetained(null, { page: 1, limit: 10 })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(broker.actions()).rejects.toBeInstanceOf(NotSupportedError);
  });
});
