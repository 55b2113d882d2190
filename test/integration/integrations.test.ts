import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiRequest, waitFor } from '../helpers/sim-broker.ts';
import { type Stack, startStack } from '../helpers/stack.ts';
import { startWebhook, type Webhook } from '../helpers/webhook.ts';
import { connectDevice, mutate, result, V4, V5, writesTo } from './broker/mutations/helpers.ts';

/**
 * v5 connectors and actions, v4 resources, the catalog and the schema registry through GraphQL: the exact
 * request in the simulator's log, and the effect where it shows (a disabled action stops a rule's output).
 */

const JUSTIFY = 'forward meter readings to the billing service (TICKET-42)';
const CONNECTOR = 'connector { id name type status enabled raw }';
const ACTION = 'action { id name type status enabled raw }';

let stack: Stack;
let hook: Webhook;
beforeAll(async () => {
  stack = await startStack();
  hook = await startWebhook();
});
afterAll(async () => {
  await stack?.close();
  await hook?.close();
});
beforeEach(() => stack.sim.requestLog.clear());

const sent = (id: string) =>
  writesTo(stack, id).map((w) => [w.method, w.rawPath, w.query, w.body ? JSON.parse(w.body) : null]);

/** Straight to the simulated broker, bypassing the gateway (rules and metrics the test sets up or checks). */
function simApi(id: string, method: string, path: string, body?: unknown) {
  const d = stack.sim.deployment(id);
  if (!d) throw new Error(`no deployment ${id}`);
  return apiRequest(`${d.apiUrl}${path}`, method, d, { body, headers: { accept: 'application/json' } });
}

const CREATE_CONNECTOR = `mutation($id: String!, $input: ConnectorInput!, $j: String) {
  createConnector(deploymentId: $id, input: $input, justification: $j) ${result('CreateConnectorSuccess', CONNECTOR)}
}`;
const CREATE_ACTION = `mutation($id: String!, $input: ActionInput!, $j: String) {
  createAction(deploymentId: $id, input: $input, justification: $j) ${result('CreateActionSuccess', ACTION)}
}`;
const SET_ACTION = `mutation($id: String!, $a: String!, $on: Boolean!, $j: String) {
  setActionEnabled(deploymentId: $id, id: $a, enabled: $on, justification: $j) ${result('SetActionEnabledSuccess', 'id enabled')}
}`;

describe('v5 connectors and actions', () => {
  const connectorInput = () => ({
    type: 'http',
    name: 'billing',
    config: { url: hook.url, headers: { Authorization: 'Bearer s3cr3t-billing' } },
    description: 'billing service',
  });

  it('createConnector is a broad write: operator FORBIDDEN, admin without justification BAD_USER_INPUT, no call', async () => {
    const variables = { id: V5, input: connectorInput() };
    const forbidden = await mutate(
      stack,
      CREATE_CONNECTOR,
      { ...variables, j: JUSTIFY },
      stack.tokens.operator,
    );
    expect(forbidden).toMatchObject({ __typename: 'GatewayError', code: 'FORBIDDEN' });
    const unexplained = await mutate(stack, CREATE_CONNECTOR, variables, stack.tokens.admin);
    expect(unexplained).toMatchObject({ __typename: 'BadUserInputError', field: 'justification' });
    expect(writesTo(stack, V5)).toEqual([]);
  });

  it('createConnector sends exactly the config and answers it with secrets masked', async () => {
    const answer = await mutate(
      stack,
      CREATE_CONNECTOR,
      { id: V5, input: connectorInput(), j: JUSTIFY },
      stack.tokens.admin,
    );
    expect(sent(V5)).toEqual([
      [
        'POST',
        '/api/v5/connectors',
        '',
        {
          type: 'http',
          name: 'billing',
          url: hook.url,
          headers: { Authorization: 'Bearer s3cr3t-billing' },
          description: 'billing service',
        },
      ],
    ]);
    expect(answer).toMatchObject({
      __typename: 'CreateConnectorSuccess',
      connector: { id: 'http:billing', status: 'connected', enabled: true },
    });
    expect(answer.connector.raw.headers.Authorization).toBe('******');
    expect(JSON.stringify(answer)).not.toContain('s3cr3t-billing');
  });

  it('testConnector probes without saving: ok, or the code EMQX refused it with', async () => {
    const TEST = `mutation($id: String!, $input: ConnectorInput!) { testConnector(deploymentId: $id, input: $input) ${result('TestConnectorSuccess', 'ok failureCode')} }`;
    const good = await mutate(stack, TEST, { id: V5, input: { ...connectorInput(), name: 'probe' } });
    expect(good).toEqual({ __typename: 'TestConnectorSuccess', ok: true, failureCode: null });
    const dead = { type: 'http', name: 'probe', config: { url: 'http://127.0.0.1:1' } };
    expect(await mutate(stack, TEST, { id: V5, input: dead })).toEqual({
      __typename: 'TestConnectorSuccess',
      ok: false,
      failureCode: 'TEST_FAILED',
    });
    expect(sent(V5).map((s) => [s[0], s[1]])).toEqual([
      ['POST', '/api/v5/connectors_probe'],
      ['POST', '/api/v5/connectors_probe'],
    ]);
  });

  it('createAction, then a rule that uses it sends its output to the external system', async () => {
    const input = {
      type: 'http',
      name: 'fwd',
      connector: 'billing',
      parameters: { path: '/readings', method: 'post' },
    };
    const answer = await mutate(stack, CREATE_ACTION, { id: V5, input, j: JUSTIFY }, stack.tokens.admin);
    expect(answer).toMatchObject({
      __typename: 'CreateActionSuccess',
      action: { id: 'http:fwd', status: 'connected' },
    });
    expect(sent(V5)).toEqual([
      [
        'POST',
        '/api/v5/actions',
        '',
        { type: 'http', name: 'fwd', connector: 'billing', parameters: input.parameters },
      ],
    ]);
    const rule = await simApi(V5, 'POST', '/rules', {
      id: 'billing-feed',
      sql: 'SELECT payload.kwh as kwh FROM "meters/#"',
      actions: ['http:fwd'],
    });
    expect(rule.status).toBe(201);
    const device = await connectDevice(stack, V5, 'meter-17');
    await device.publishAsync('meters/17', '{"kwh": 3}', { qos: 1 });
    await waitFor(() => hook.received.length === 1);
    expect(hook.received[0]).toMatchObject({ method: 'POST', url: '/readings', body: '{"kwh":3}' });
    await device.endAsync();
  });

  it('setActionEnabled(false) stops the rule output; enabling again is broad and resumes it', async () => {
    const off = await mutate(stack, SET_ACTION, { id: V5, a: 'http:fwd', on: false });
    expect(off).toEqual({ __typename: 'SetActionEnabledSuccess', id: 'http:fwd', enabled: false });
    expect(sent(V5)).toEqual([['PUT', '/api/v5/actions/http%3Afwd/enable/false', '', null]]);
    const device = await connectDevice(stack, V5, 'meter-18');
    await device.publishAsync('meters/18', '{"kwh": 4}', { qos: 1 });
    await waitFor(async () => {
      const metrics = (await simApi(V5, 'GET', '/rules/billing-feed/metrics')).json.metrics;
      return metrics['actions.failed.out_of_service'] === 1;
    });
    expect(hook.received).toHaveLength(1);

    const operatorOn = await mutate(stack, SET_ACTION, { id: V5, a: 'http:fwd', on: true, j: JUSTIFY });
    expect(operatorOn).toMatchObject({ code: 'FORBIDDEN' });
    const on = await mutate(
      stack,
      SET_ACTION,
      { id: V5, a: 'http:fwd', on: true, j: JUSTIFY },
      stack.tokens.admin,
    );
    expect(on).toMatchObject({ enabled: true });
    await device.publishAsync('meters/18', '{"kwh": 5}', { qos: 1 });
    await waitFor(() => hook.received.length === 2);
    expect(hook.received[1]?.body).toBe('{"kwh":5}');
    await device.endAsync();
  });

  it('actionMetrics reads the counters; resetActionMetrics zeroes them (and the cached read)', async () => {
    const METRICS = `query($id: String!) { deployment(deploymentId: $id) { actionMetrics(id: "http:fwd") { matched success failed nodes } } }`;
    await waitFor(async () => {
      const live = (await simApi(V5, 'GET', '/actions/http%3Afwd/metrics')).json.metrics;
      return live.success === 2;
    });
    const before = (await stack.gql(METRICS, { variables: { id: V5 } })).body.data.deployment.actionMetrics;
    expect(before).toMatchObject({ matched: 2, success: 2, failed: 0 });
    const RESET = `mutation($id: String!) { resetActionMetrics(deploymentId: $id, id: "http:fwd") ${result('ResetActionMetricsSuccess', 'id')} }`;
    expect(await mutate(stack, RESET, { id: V5 })).toEqual({
      __typename: 'ResetActionMetricsSuccess',
      id: 'http:fwd',
    });
    expect(sent(V5)).toEqual([['PUT', '/api/v5/actions/http%3Afwd/metrics/reset', '', null]]);
    const after = (await stack.gql(METRICS, { variables: { id: V5 } })).body.data.deployment.actionMetrics;
    expect(after).toMatchObject({ matched: 0, success: 0 });
  });

  it('startAction and startConnector post the start operation', async () => {
    const START = `mutation($id: String!) {
      a: startAction(deploymentId: $id, id: "http:fwd") ${result('StartActionSuccess', 'id')}
      c: startConnector(deploymentId: $id, id: "http:billing") ${result('StartConnectorSuccess', 'id')}
    }`;
    const { body } = await stack.gql(START, { variables: { id: V5 }, token: stack.tokens.operator });
    expect(body.data).toEqual({
      a: { __typename: 'StartActionSuccess', id: 'http:fwd' },
      c: { __typename: 'StartConnectorSuccess', id: 'http:billing' },
    });
    expect(sent(V5)).toEqual([
      ['POST', '/api/v5/actions/http%3Afwd/start', '', null],
      ['POST', '/api/v5/connectors/http%3Abilling/start', '', null],
    ]);
  });

  it('updateAction reads, then replaces, keeping what was left out', async () => {
    const UPDATE = `mutation($id: String!, $j: String) {
      updateAction(deploymentId: $id, id: "http:fwd", justification: $j, input: { connector: "billing", parameters: { path: "/v2/readings" } })
        ${result('UpdateActionSuccess', ACTION)}
    }`;
    const answer = await mutate(stack, UPDATE, { id: V5, j: JUSTIFY }, stack.tokens.admin);
    expect(answer.action.raw.parameters).toEqual({ path: '/v2/readings' });
    expect(sent(V5)).toEqual([
      [
        'PUT',
        '/api/v5/actions/http%3Afwd',
        '',
        { description: '', enable: true, connector: 'billing', parameters: { path: '/v2/readings' } },
      ],
    ]);
    const missing = `mutation($id: String!, $j: String) { updateAction(deploymentId: $id, id: "http:nope", justification: $j, input: { connector: "billing", parameters: {} }) ${result('UpdateActionSuccess', 'action { id }')} }`;
    expect(await mutate(stack, missing, { id: V5, j: JUSTIFY }, stack.tokens.admin)).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deleteAction is refused while a rule uses it (naming the rule), then deletes with withRules', async () => {
    const DELETE = `mutation($id: String!, $with: Boolean) { deleteAction(deploymentId: $id, id: "http:fwd", withRules: $with) ${result('DeleteActionSuccess', 'id')} }`;
    const refused = await mutate(stack, DELETE, { id: V5 });
    expect(refused).toMatchObject({ __typename: 'UpstreamError', upstreamCode: 'BAD_REQUEST' });
    expect(refused.message).toContain('billing-feed');
    expect(await mutate(stack, DELETE, { id: V5, with: true })).toEqual({
      __typename: 'DeleteActionSuccess',
      id: 'http:fwd',
    });
    expect(sent(V5).map((s) => [s[0], s[1], s[2]])).toEqual([
      ['DELETE', '/api/v5/actions/http%3Afwd', ''],
      ['DELETE', '/api/v5/actions/http%3Afwd', 'also_delete_dep_actions=true'],
    ]);
    const DELETE_CONNECTOR = `mutation($id: String!) { deleteConnector(deploymentId: $id, id: "http:billing") ${result('DeleteConnectorSuccess', 'id')} }`;
    expect(await mutate(stack, DELETE_CONNECTOR, { id: V5 })).toEqual({
      __typename: 'DeleteConnectorSuccess',
      id: 'http:billing',
    });
    const LIST = `query($id: String!) { deployment(deploymentId: $id) { connectors { id } actions { id } } }`;
    expect((await stack.gql(LIST, { variables: { id: V5 } })).body.data.deployment).toEqual({
      connectors: [],
      actions: [],
    });
  });

  it('bad input is BAD_USER_INPUT naming the argument, before any call', async () => {
    const bad = await mutate(stack, SET_ACTION, { id: V5, a: 'no-colon', on: false });
    expect(bad).toMatchObject({ __typename: 'BadUserInputError', field: 'id' });
    const input = { type: 'http', name: 'x y', config: { url: hook.url } };
    expect(
      await mutate(stack, CREATE_CONNECTOR, { id: V5, input, j: JUSTIFY }, stack.tokens.admin),
    ).toMatchObject({
      field: 'input.name',
    });
    const reserved = { type: 'http', name: 'x', config: { url: hook.url, type: 'mysql' } };
    expect(
      await mutate(stack, CREATE_CONNECTOR, { id: V5, input: reserved, j: JUSTIFY }, stack.tokens.admin),
    ).toMatchObject({
      field: 'input.config',
    });
    expect(writesTo(stack, V5)).toEqual([]);
  });

  it('v4 answers NOT_SUPPORTED for connectors and actions, without a call', async () => {
    const answer = await mutate(stack, SET_ACTION, { id: V4, a: 'http:fwd', on: false });
    expect(answer).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(writesTo(stack, V4)).toEqual([]);
  });
});

describe('the action and resource catalog', () => {
  const CATALOG = `query($id: String!) { deployment(deploymentId: $id) {
    actionTypes { name title provider resourceTypes }
    hook: actionType(name: "data_to_webserver") { name title }
    resourceTypes { name title provider }
    web: resourceType(name: "web_hook") { name params }
  } }`;

  it('v4 lists built-in actions and resource types (GET /actions, /actions/{name}, /resource_types[/{name}])', async () => {
    const { body } = await stack.gql(CATALOG, { variables: { id: V4 } });
    const d = body.data.deployment;
    expect(d.actionTypes.map((a: { name: string }) => a.name)).toContain('data_to_webserver');
    expect(d.hook).toMatchObject({ name: 'data_to_webserver', title: expect.any(String) });
    expect(d.resourceTypes.map((r: { name: string }) => r.name)).toContain('web_hook');
    expect(d.web.params).toHaveProperty('url');
    const paths = stack.sim.requestLog.entries({ target: V4 }).map((e) => `${e.method} ${e.rawPath}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /api/v4/actions',
        'GET /api/v4/actions/data_to_webserver',
        'GET /api/v4/resource_types',
        'GET /api/v4/resource_types/web_hook',
      ]),
    );
  });

  it('v5 lists action types by name (GET /action_types); resource types are NOT_SUPPORTED', async () => {
    const { body } = await stack.gql(CATALOG, { variables: { id: V5 } });
    expect(body.data.deployment.actionTypes).toContainEqual({
      name: 'http',
      title: null,
      provider: null,
      resourceTypes: [],
    });
    expect(body.data.deployment.hook).toBeNull();
    expect(body.data.deployment.resourceTypes).toBeNull();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_SUPPORTED', 'NOT_SUPPORTED']);
  });
});

describe('v4 rule-engine resources', () => {
  const CREATE = `mutation($id: String!, $input: ResourceInput!, $j: String) {
    createResource(deploymentId: $id, input: $input, justification: $j) ${result('CreateResourceSuccess', 'resource { id type raw }')}
  }`;

  it('createResource posts the resource, masks its secrets; deleteResource removes it', async () => {
    const input = {
      type: 'web_hook',
      id: 'resource:billing',
      config: { url: hook.url, headers: { token: 'v4-s3cret' } },
      description: 'billing',
    };
    expect(await mutate(stack, CREATE, { id: V4, input, j: JUSTIFY })).toMatchObject({ code: 'FORBIDDEN' });
    const answer = await mutate(stack, CREATE, { id: V4, input, j: JUSTIFY }, stack.tokens.admin);
    expect(answer).toMatchObject({
      __typename: 'CreateResourceSuccess',
      resource: { id: 'resource:billing', type: 'web_hook' },
    });
    expect(JSON.stringify(answer)).not.toContain('v4-s3cret');
    expect(sent(V4)).toEqual([
      [
        'POST',
        '/api/v4/resources',
        '',
        { type: 'web_hook', config: input.config, id: 'resource:billing', description: 'billing' },
      ],
    ]);
    const LIST = `query($id: String!) { deployment(deploymentId: $id) { resources { id raw } } }`;
    const listed = (await stack.gql(LIST, { variables: { id: V4 } })).body.data.deployment.resources;
    expect(listed).toContainEqual({
      id: 'resource:billing',
      raw: expect.objectContaining({ config: expect.objectContaining({ headers: { token: '******' } }) }),
    });
    stack.sim.requestLog.clear();
    const DELETE = `mutation($id: String!) { deleteResource(deploymentId: $id, id: "resource:billing") ${result('DeleteResourceSuccess', 'id')} }`;
    expect(await mutate(stack, DELETE, { id: V4 })).toEqual({
      __typename: 'DeleteResourceSuccess',
      id: 'resource:billing',
    });
    expect(sent(V4)).toEqual([['DELETE', '/api/v4/resources/resource:billing', '', null]]);
    expect((await stack.gql(LIST, { variables: { id: V4 } })).body.data.deployment.resources).toEqual([]);
  });
});

describe('v5 schema registry', () => {
  const SCHEMA = 'schema { name type source description }';
  const avro = JSON.stringify({ type: 'record', name: 'reading', fields: [{ name: 'kwh', type: 'int' }] });

  it('create, read, update and delete a registered schema', async () => {
    const CREATE = `mutation($id: String!, $input: RegisteredSchemaInput!) { createRegisteredSchema(deploymentId: $id, input: $input) ${result('CreateRegisteredSchemaSuccess', SCHEMA)} }`;
    const created = await mutate(stack, CREATE, {
      id: V5,
      input: { name: 'reading', type: 'AVRO', source: avro },
    });
    expect(created).toEqual({
      __typename: 'CreateRegisteredSchemaSuccess',
      schema: { name: 'reading', type: 'AVRO', source: avro, description: '' },
    });
    expect(sent(V5)).toEqual([
      [
        'POST',
        '/api/v5/schema_registry',
        '',
        { name: 'reading', type: 'avro', source: avro, description: '' },
      ],
    ]);
    const again = await mutate(stack, CREATE, {
      id: V5,
      input: { name: 'reading', type: 'JSON', source: '{}' },
    });
    expect(again).toMatchObject({ __typename: 'UpstreamError', upstreamCode: 'ALREADY_EXISTS' });

    const READ = `query($id: String!) { deployment(deploymentId: $id) { registeredSchemas { name type } registeredSchema(name: "reading") { description } } }`;
    expect((await stack.gql(READ, { variables: { id: V5 } })).body.data.deployment).toEqual({
      registeredSchemas: [{ name: 'reading', type: 'AVRO' }],
      registeredSchema: { description: '' },
    });
    stack.sim.requestLog.clear();
    const UPDATE = `mutation($id: String!, $input: RegisteredSchemaInput!) { updateRegisteredSchema(deploymentId: $id, input: $input) ${result('UpdateRegisteredSchemaSuccess', SCHEMA)} }`;
    const input = { name: 'reading', type: 'JSON', source: '{"type":"object"}', description: 'now JSON' };
    expect((await mutate(stack, UPDATE, { id: V5, input })).schema).toEqual(input);
    expect(sent(V5)).toEqual([
      [
        'PUT',
        '/api/v5/schema_registry/reading',
        '',
        { type: 'json', source: '{"type":"object"}', description: 'now JSON' },
      ],
    ]);
    expect((await stack.gql(READ, { variables: { id: V5 } })).body.data.deployment.registeredSchemas).toEqual(
      [{ name: 'reading', type: 'JSON' }],
    );
    const DELETE = `mutation($id: String!, $n: String!) { deleteRegisteredSchema(deploymentId: $id, name: $n) ${result('DeleteRegisteredSchemaSuccess', 'name')} }`;
    expect(await mutate(stack, DELETE, { id: V5, n: 'reading' })).toEqual({
      __typename: 'DeleteRegisteredSchemaSuccess',
      name: 'reading',
    });
    expect(await mutate(stack, DELETE, { id: V5, n: 'reading' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await mutate(stack, DELETE, { id: V4, n: 'reading' })).toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});
