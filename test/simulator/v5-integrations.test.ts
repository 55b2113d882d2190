import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimBrokerHarness, startSimBroker, waitFor } from '../helpers/sim-broker.ts';
import { closedPort, startWebhook, type Webhook } from '../helpers/webhook.ts';

const NODE = 'emqx@10.0.1.17';

describe('v5 connectors and actions (emqx-api.md §4.10)', () => {
  let sim: SimBrokerHarness;
  let hook: Webhook;
  let deadUrl: string;

  beforeAll(async () => {
    sim = await startSimBroker();
    hook = await startWebhook();
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await sim.close();
    await hook.close();
  });

  const connector = (name: string, url: string, extra: Record<string, unknown> = {}) =>
    sim.request('POST', '/connectors', { body: { type: 'http', name, url, ...extra } });
  const action = (name: string, connectorName: string, parameters: Record<string, unknown> = {}) =>
    sim.request('POST', '/actions', {
      body: { type: 'http', name, connector: connectorName, parameters: { method: 'post', ...parameters } },
    });

  it('POST /connectors → 201 with defaults, health per node and secrets redacted', async () => {
    const reply = await connector('hook', hook.url, {
      headers: { Authorization: 'Bearer canary-conn-1', 'x-tenant': 't1' },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({
      type: 'http',
      name: 'hook',
      url: hook.url,
      enable: true,
      description: '',
      headers: { Authorization: '******', 'x-tenant': 't1' },
      status: 'connected',
      node_status: [{ node: NODE, status: 'connected' }],
    });
    const dead = await connector('dead', deadUrl, { description: 'nothing listens' });
    expect(dead.json).toMatchObject({
      status: 'disconnected',
      status_reason: expect.any(String),
      node_status: [{ node: NODE, status: 'disconnected', status_reason: expect.any(String) }],
    });
    const list = await sim.request('GET', '/connectors');
    expect(list.status).toBe(200);
    expect(list.json.map((c: { name: string }) => c.name)).toEqual(['hook', 'dead']);
    expect(list.text).not.toContain('canary-conn-1');
    expect((await sim.request('GET', '/connectors/http:hook')).json).toEqual(reply.json);
  });

  it.each([
    ['a duplicate', { type: 'http', name: 'hook', url: 'http://127.0.0.1:1' }, 'ALREADY_EXISTS'],
    ['an unknown type', { type: 'telnet', name: 'x', url: 'http://127.0.0.1:1' }, 'BAD_REQUEST'],
    ['no url', { type: 'http', name: 'x' }, 'BAD_REQUEST'],
    ['a bad name', { type: 'http', name: 'no spaces', url: 'http://127.0.0.1:1' }, 'BAD_REQUEST'],
    [
      'enable not a boolean',
      { type: 'http', name: 'x', url: 'http://127.0.0.1:1', enable: 'yes' },
      'BAD_REQUEST',
    ],
  ])('POST /connectors with %s → 400 %s', async (_case, body, code) => {
    const reply = await sim.request('POST', '/connectors', { body });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe(code);
  });

  it('unknown or malformed ids → 404 NOT_FOUND', async () => {
    const missing = await sim.request('GET', '/connectors/http:nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      code: 'NOT_FOUND',
      message: "Connector lookup failed: connector named 'nope' of type http does not exist.",
    });
    expect((await sim.request('GET', '/actions/no-colon')).status).toBe(404);
    expect((await sim.request('DELETE', '/actions/http:nope')).status).toBe(404);
    expect((await sim.request('PUT', '/connectors/http:nope/enable/false')).status).toBe(404);
  });

  it('POST /connectors_probe → 204 when reachable, 400 TEST_FAILED when not; nothing is created', async () => {
    const good = await sim.request('POST', '/connectors_probe', {
      body: { type: 'http', name: 'probe-1', url: hook.url },
    });
    expect(good.status).toBe(204);
    expect(good.text).toBe('');
    const bad = await sim.request('POST', '/connectors_probe', {
      body: { type: 'http', name: 'probe-2', url: deadUrl },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('TEST_FAILED');
    expect((await sim.request('GET', '/connectors/http:probe-1')).status).toBe(404);
  });

  it('POST /actions → 201 naming its connector and rules; a missing connector → 400', async () => {
    const reply = await action('forward', 'hook', { path: '/ingest/${clientid}', body: '${.}' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      type: 'http',
      name: 'forward',
      connector: 'hook',
      enable: true,
      status: 'connected',
      rules: [],
      parameters: { path: '/ingest/${clientid}', body: '${.}', method: 'post' },
    });
    const orphan = await action('orphan', 'not-there');
    expect(orphan.status).toBe(400);
    expect(orphan.json.code).toBe('BAD_REQUEST');
    const noParams = await sim.request('POST', '/actions', {
      body: { type: 'http', name: 'np', connector: 'hook' },
    });
    expect(noParams.status).toBe(400);
    expect((await action('forward', 'hook')).json.code).toBe('ALREADY_EXISTS');
    expect((await sim.request('GET', '/action_types')).json).toContain('http');
  });

  it('a rule referencing the action sends its output out; disabling the action stops it', async () => {
    const rule = await sim.request('POST', '/rules', {
      body: {
        id: 'to-hook',
        sql: 'SELECT payload.v as v, clientid FROM "meter/#"',
        actions: ['http:forward'],
      },
    });
    expect(rule.status).toBe(201);
    const send = (v: number) =>
      sim.request('POST', '/publish', { body: { topic: 'meter/1', payload: JSON.stringify({ v }) } });
    await send(1);
    await waitFor(() => hook.received.length === 1);
    expect(hook.received[0]).toMatchObject({ method: 'POST', url: '/ingest/http_api' });
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ v: 1 });
    expect(hook.received[0]!.headers.authorization).toBe('Bearer canary-conn-1');
    await waitFor(
      async () => (await sim.request('GET', '/actions/http:forward/metrics')).json.metrics.success === 1,
    );

    const off = await sim.request('PUT', '/actions/http:forward/enable/false');
    expect(off.status).toBe(204);
    expect((await sim.request('GET', '/actions/http:forward')).json).toMatchObject({
      enable: false,
      status: 'disconnected',
    });
    await send(2);
    const ruleMetrics = (await sim.request('GET', '/rules/to-hook/metrics')).json.metrics;
    expect(ruleMetrics).toMatchObject({ 'actions.success': 1, 'actions.failed.out_of_service': 1 });
    expect(hook.received).toHaveLength(1);

    expect((await sim.request('POST', '/actions/http:forward/start')).json).toEqual({
      code: 'BAD_REQUEST',
      message: 'Forbidden operation, bridge not enabled',
    });
    expect((await sim.request('PUT', '/actions/http:forward/enable/true')).status).toBe(204);
    await send(3);
    await waitFor(() => hook.received.length === 2);
    expect(JSON.parse(hook.received[1]!.body)).toMatchObject({ v: 3 });
    expect((await sim.request('GET', '/actions/http:forward')).json.rules).toEqual(['to-hook']);
  });

  it('metrics: the documented counters per node; reset → 204 and zeros; unknown → 404', async () => {
    const reply = await sim.request('GET', '/actions/http:forward/metrics');
    expect(reply.json.metrics).toMatchObject({ matched: 2, success: 2, failed: 0, inflight: 0, rate: 0 });
    expect(reply.json.node_metrics).toEqual([{ node: NODE, metrics: reply.json.metrics }]);
    expect((await sim.request('PUT', '/actions/http:forward/metrics/reset')).status).toBe(204);
    expect((await sim.request('GET', '/actions/http:forward/metrics')).json.metrics.matched).toBe(0);
    expect((await sim.request('GET', '/actions/http:nope/metrics')).status).toBe(404);
    expect((await sim.request('PUT', '/actions/http:nope/metrics/reset')).status).toBe(404);
  });

  it('operations: start → 204; an unknown operation → 400; enable must be a boolean', async () => {
    expect((await sim.request('POST', '/actions/http:forward/start')).status).toBe(204);
    expect((await sim.request('POST', '/connectors/http:hook/start')).status).toBe(204);
    expect((await sim.request('POST', '/connectors/http:hook/restart')).status).toBe(400);
    expect((await sim.request('PUT', '/connectors/http:hook/enable/maybe')).status).toBe(400);
    expect((await sim.request('PUT', '/connectors/http:dead/enable/false')).status).toBe(204);
    expect((await sim.request('POST', '/connectors/http:dead/start')).json.message).toBe(
      'Forbidden operation, connector not enabled',
    );
  });

  it('PUT replaces the configuration; a redacted secret sent back keeps the stored one', async () => {
    const got = (await sim.request('GET', '/connectors/http:hook')).json;
    const put = await sim.request('PUT', '/connectors/http:hook', {
      body: { ...got, description: 'edited' },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ description: 'edited', headers: { Authorization: '******' } });
    await sim.request('POST', '/publish', { body: { topic: 'meter/2', payload: '{"v":4}' } });
    await waitFor(() => hook.received.length === 3);
    expect(hook.received[2]!.headers.authorization).toBe('Bearer canary-conn-1');
    const noUrl = await sim.request('PUT', '/connectors/http:hook', { body: { description: 'x' } });
    expect(noUrl.status).toBe(400);
    const action = await sim.request('PUT', '/actions/http:forward', {
      body: { connector: 'hook', parameters: { path: '/v2' }, description: 'moved' },
    });
    expect(action.status).toBe(200);
    expect(action.json).toMatchObject({ parameters: { path: '/v2' }, description: 'moved' });
  });

  it('POST /actions_probe → 204 through a reachable connector, 400 TEST_FAILED otherwise', async () => {
    const body = { type: 'http', name: 'p', parameters: {} };
    expect(
      (await sim.request('POST', '/actions_probe', { body: { ...body, connector: 'hook' } })).status,
    ).toBe(204);
    const bad = await sim.request('POST', '/actions_probe', { body: { ...body, connector: 'dead' } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('TEST_FAILED');
  });

  it('DELETE: refused while rules or actions depend on it, then 204', async () => {
    const refused = await sim.request('DELETE', '/actions/http:forward');
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      code: 'BAD_REQUEST',
      message: 'Cannot delete action while active rules are depending on it',
      rules: ['to-hook'],
    });
    const connectorRefused = await sim.request('DELETE', '/connectors/http:hook');
    expect(connectorRefused.status).toBe(400);
    const cascade = await sim.request('DELETE', '/actions/http:forward?also_delete_dep_actions=true');
    expect(cascade.status).toBe(204);
    expect((await sim.request('GET', '/rules/to-hook')).json.actions).toEqual([]);
    expect((await sim.request('DELETE', '/connectors/http:hook')).status).toBe(204);
    expect((await sim.request('GET', '/connectors/http:hook')).status).toBe(404);
  });
});

describe('v5 schema registry (emqx-api.md §4.11)', () => {
  let sim: SimBrokerHarness;
  beforeAll(async () => {
    sim = await startSimBroker();
  });
  afterAll(() => sim.close());

  const avro = JSON.stringify({ type: 'record', name: 'm', fields: [{ name: 'v', type: 'int' }] });

  it('POST → 201 with the description default; duplicate → 400 ALREADY_EXISTS; bad source → 400', async () => {
    const reply = await sim.request('POST', '/schema_registry', {
      body: { name: 'meter', type: 'avro', source: avro },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({ name: 'meter', type: 'avro', source: avro, description: '' });
    const again = await sim.request('POST', '/schema_registry', {
      body: { name: 'meter', type: 'json', source: '{}' },
    });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ code: 'ALREADY_EXISTS', message: 'Schema already exists' });
    for (const body of [
      { name: 'bad', type: 'avro', source: 'not json' },
      { name: 'bad', type: 'xml', source: '<a/>' },
      { name: 'bad', type: 'json' },
      { type: 'json', source: '{}' },
    ]) {
      const refused = await sim.request('POST', '/schema_registry', { body });
      expect(refused.status).toBe(400);
      expect(refused.json.code).toBe('BAD_REQUEST');
    }
  });

  it('GET list (bare array) and one; PUT → 200; DELETE → 204; unknown → 404', async () => {
    expect((await sim.request('GET', '/schema_registry')).json).toEqual([
      { name: 'meter', type: 'avro', source: avro, description: '' },
    ]);
    expect((await sim.request('GET', '/schema_registry/meter')).json.type).toBe('avro');
    const put = await sim.request('PUT', '/schema_registry/meter', {
      body: { type: 'json', source: '{"type":"object"}', description: 'now json' },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({
      name: 'meter',
      type: 'json',
      source: '{"type":"object"}',
      description: 'now json',
    });
    const missing = await sim.request('GET', '/schema_registry/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 'NOT_FOUND', message: 'Schema not found' });
    expect(
      (await sim.request('PUT', '/schema_registry/nope', { body: { type: 'json', source: '{}' } })).status,
    ).toBe(404);
    expect((await sim.request('DELETE', '/schema_registry/meter')).status).toBe(204);
    expect((await sim.request('DELETE', '/schema_registry/meter')).status).toBe(404);
    expect((await sim.request('GET', '/schema_registry')).json).toEqual([]);
  });
});
