// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX placeholders such as ${payload} are literal text here.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, nextMessage, result, V4, V5, writesTo } from './helpers.ts';

const RULE_FIELDS = 'rule { id name sql enabled description topics actions }';
const CREATE = `mutation($id: String!, $ruleId: String, $input: RuleInput!) {
  createRule(deploymentId: $id, id: $ruleId, input: $input) ${result('CreateRuleSuccess', RULE_FIELDS)}
}`;
const UPDATE = `mutation($id: String!, $ruleId: String!, $input: RuleInput!) {
  updateRule(deploymentId: $id, id: $ruleId, input: $input) ${result('UpdateRuleSuccess', RULE_FIELDS)}
}`;
const ENABLE = `mutation($id: String!, $ruleId: String!, $enabled: Boolean!) {
  setRuleEnabled(deploymentId: $id, id: $ruleId, enabled: $enabled) ${result('SetRuleEnabledSuccess', RULE_FIELDS)}
}`;
const RESET = `mutation($id: String!, $ruleId: String!) {
  resetRuleMetrics(deploymentId: $id, id: $ruleId) ${result('ResetRuleMetricsSuccess', 'id')}
}`;
const DELETE = `mutation($id: String!, $ruleId: String!) {
  deleteRule(deploymentId: $id, id: $ruleId) ${result('DeleteRuleSuccess', 'id')}
}`;
const TEST_SQL = `mutation($id: String!, $sql: String!, $message: RuleTestInput!) {
  testRuleSql(deploymentId: $id, sql: $sql, message: $message) ${result('TestRuleSqlSuccess', 'matched output')}
}`;
const RULES = `query($id: String!) { deployment(deploymentId: $id) { rules(first: 50) { edges { node { id enabled sql } } } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const republish = (version: string, topic: string) =>
  version === 'v5'
    ? [{ function: 'republish', args: { topic, payload: 'via rule: ${payload}', qos: 0 } }]
    : [
        {
          name: 'republish',
          params: { target_topic: topic, payload_tmpl: 'via rule: ${payload}', target_qos: '0' },
        },
      ];

const listedRules = async (id: string) =>
  (await stack.gql(RULES, { variables: { id } })).body.data.deployment.rules.edges.map((e: any) => e.node);

const writes = (id: string) =>
  writesTo(stack, id).map((w) => ({
    method: w.method,
    path: w.rawPath,
    query: w.query,
    body: w.body ? JSON.parse(w.body) : null,
  }));

describe.each([
  { version: 'v5', id: V5, rulePath: '/rules/rule%3Agw-v5' },
  { version: 'v4', id: V4, rulePath: '/rules/rule:gw-v4' },
])('rules on $version', ({ version, id, rulePath }) => {
  const api = `/api/${version}`;
  const ruleId = `rule:gw-${version}`;
  const sql = 'SELECT payload FROM "sensors/#"';

  it('createRule saves a rule that shows in `rules` and whose republish works', async () => {
    expect(await listedRules(id)).not.toContainEqual(expect.objectContaining({ id: ruleId }));
    const input = {
      sql,
      actions: republish(version, `out/${version}`),
      name: 'fwd',
      description: 'forward',
      enabled: true,
    };
    const created = await mutate(stack, CREATE, { id, ruleId, input });
    expect(created).toMatchObject({
      __typename: 'CreateRuleSuccess',
      rule: { id: ruleId, sql, enabled: true, description: 'forward', topics: ['sensors/#'] },
    });
    expect(created.rule.name).toBe(version === 'v5' ? 'fwd' : null);
    expect(writes(id)).toEqual([
      {
        method: 'POST',
        path: `${api}/rules`,
        query: '',
        body:
          version === 'v5'
            ? { id: ruleId, sql, actions: input.actions, name: 'fwd', description: 'forward', enable: true }
            : { id: ruleId, rawsql: sql, actions: input.actions, description: 'forward', enabled: true },
      },
    ]);
    // The list was cached a moment ago; the write dropped it.
    expect(await listedRules(id)).toContainEqual({ id: ruleId, enabled: true, sql });

    const device = await connectDevice(stack, id, `rule-dev-${version}`);
    await device.subscribeAsync(`out/${version}`, { qos: 0 });
    const forwarded = nextMessage(device, `out/${version}`);
    await device.publishAsync('sensors/t1', 'hot');
    expect((await forwarded).payload.toString()).toBe('via rule: hot');
    await device.endAsync();
  });

  it('setRuleEnabled turns the rule off without changing it', async () => {
    const answer = await mutate(stack, ENABLE, { id, ruleId, enabled: false });
    expect(answer).toMatchObject({
      __typename: 'SetRuleEnabledSuccess',
      rule: { id: ruleId, enabled: false, sql },
    });
    const sent = writes(id);
    if (version === 'v5') {
      expect(sent).toEqual([
        {
          method: 'PUT',
          path: `${api}${rulePath}`,
          query: '',
          // The actions go back as EMQX echoed them on the read (with its defaults filled in).
          body: {
            sql,
            actions: [
              {
                function: 'republish',
                args: expect.objectContaining({ topic: 'out/v5', payload: 'via rule: ${payload}' }),
              },
            ],
            name: 'fwd',
            description: 'forward',
            enable: false,
          },
        },
      ]);
    } else {
      expect(sent).toEqual([
        { method: 'PUT', path: `${api}${rulePath}`, query: '', body: { enabled: false } },
      ]);
    }
    expect(await listedRules(id)).toContainEqual({ id: ruleId, enabled: false, sql });
  });

  it('updateRule replaces SQL and actions and keeps what was left out', async () => {
    const input = { sql: 'SELECT payload FROM "meters/#"', actions: republish(version, `out2/${version}`) };
    const answer = await mutate(stack, UPDATE, { id, ruleId, input });
    expect(answer).toMatchObject({
      __typename: 'UpdateRuleSuccess',
      rule: { id: ruleId, sql: input.sql, enabled: false, description: 'forward' },
    });
    const [put] = writes(id);
    expect([put?.method, put?.path]).toEqual(['PUT', `${api}${rulePath}`]);
    expect(put?.body).toEqual(
      version === 'v5'
        ? { sql: input.sql, actions: input.actions, name: 'fwd', description: 'forward', enable: false }
        : { rawsql: input.sql, actions: input.actions },
    );
    await mutate(stack, ENABLE, { id, ruleId, enabled: true });
    const device = await connectDevice(stack, id, `rule-dev2-${version}`);
    await device.subscribeAsync(`out2/${version}`, { qos: 0 });
    const forwarded = nextMessage(device, `out2/${version}`);
    await device.publishAsync('meters/m1', '7 kWh');
    expect((await forwarded).payload.toString()).toBe('via rule: 7 kWh');
    await device.endAsync();
  });

  it('resetRuleMetrics sends the reset', async () => {
    expect(await mutate(stack, RESET, { id, ruleId })).toEqual({
      __typename: 'ResetRuleMetricsSuccess',
      id: ruleId,
    });
    expect(writes(id)).toEqual([
      {
        method: 'PUT',
        path: `${api}${rulePath}${version === 'v5' ? '/metrics/reset' : '/reset_metrics'}`,
        query: '',
        body: null,
      },
    ]);
  });

  it('testRuleSql runs SQL against a sample without saving anything', async () => {
    const testSql = 'SELECT payload.v as v FROM "probe/#"';
    const hit = await mutate(stack, TEST_SQL, {
      id,
      sql: testSql,
      message: { topic: 'probe/1', payload: '{"v": 3}', clientId: 'c1' },
    });
    expect(hit).toEqual({ __typename: 'TestRuleSqlSuccess', matched: true, output: { v: 3 } });
    const miss = await mutate(stack, TEST_SQL, {
      id,
      sql: testSql,
      message: { topic: 'other/1', payload: '{}' },
    });
    expect(miss).toEqual({ __typename: 'TestRuleSqlSuccess', matched: false, output: null });
    const [first] = writes(id);
    expect([first?.method, first?.path]).toEqual([
      'POST',
      version === 'v5' ? `${api}/rule_test` : `${api}/rules`,
    ]);
    expect(first?.body).toEqual(
      version === 'v5'
        ? {
            sql: testSql,
            context: {
              event_type: 'message_publish',
              topic: 'probe/1',
              payload: '{"v": 3}',
              qos: 0,
              clientid: 'c1',
            },
          }
        : {
            rawsql: testSql,
            test: true,
            ctx: { topic: 'probe/1', payload: '{"v": 3}', qos: 0, clientid: 'c1' },
          },
    );
    expect((await listedRules(id)).map((r: { id: string }) => r.id)).toEqual([ruleId]);
  });

  it('deleteRule removes it; updating an unknown rule is NOT_FOUND and creates nothing', async () => {
    expect(await mutate(stack, DELETE, { id, ruleId })).toEqual({
      __typename: 'DeleteRuleSuccess',
      id: ruleId,
    });
    expect(writes(id)).toEqual([{ method: 'DELETE', path: `${api}${rulePath}`, query: '', body: null }]);
    expect(await listedRules(id)).toEqual([]);
    const input = { sql, actions: [] };
    expect(await mutate(stack, UPDATE, { id, ruleId, input })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await mutate(stack, ENABLE, { id, ruleId, enabled: true })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await listedRules(id)).toEqual([]);
  });
});

it('v5: deleting a rule that is not there is NOT_FOUND; v4 deletes are idempotent', async () => {
  expect(await mutate(stack, DELETE, { id: V5, ruleId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  expect(await mutate(stack, DELETE, { id: V4, ruleId: 'nope' })).toMatchObject({
    __typename: 'DeleteRuleSuccess',
  });
});

it('v4: an action that is not {name, params} is refused before any call', async () => {
  // A v5 action reference sends data out, so only an admin with a reason gets as far as the v4 adapter.
  const answer = await mutate(
    stack,
    CREATE.replace('input: $input)', 'input: $input, justification: "test")'),
    { id: V4, input: { sql: 'SELECT * FROM "t"', actions: ['http:x'] } },
    stack.tokens.admin,
  );
  expect(answer).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actions.0' });
  expect(writesTo(stack, V4)).toEqual([]);
});

it('v5 setRuleEnabled rereads the rule instead of trusting a cached copy (a change made outside is kept)', async () => {
  await mutate(stack, CREATE, {
    id: V5,
    ruleId: 'outside',
    input: { sql: 'SELECT * FROM "a/#"', actions: [] },
  });
  const cached = `query { deployment(deploymentId: "${V5}") { rule(id: "outside") { sql } } }`;
  expect((await stack.gql(cached)).body.data.deployment.rule.sql).toBe('SELECT * FROM "a/#"');
  // Someone edits the rule in the EMQX dashboard, behind the gateway's cache.
  const sim = stack.sim.deployment(V5)!;
  const edited = await request(`${sim.apiUrl}/rules/outside`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${sim.appId}:${sim.appSecret}`).toString('base64')}`,
    },
    body: JSON.stringify({ sql: 'SELECT * FROM "b/#"', actions: [] }),
  });
  expect(edited.statusCode).toBe(200);
  await edited.body.dump();
  stack.sim.requestLog.clear();
  const answer = await mutate(stack, ENABLE, { id: V5, ruleId: 'outside', enabled: false });
  expect(answer.rule).toMatchObject({ sql: 'SELECT * FROM "b/#"', enabled: false });
  expect(JSON.parse(writesTo(stack, V5)[0]!.body).sql).toBe('SELECT * FROM "b/#"');
  await mutate(stack, DELETE, { id: V5, ruleId: 'outside' });
});
