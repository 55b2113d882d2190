import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { V4, V5 } from './helpers.ts';

/**
 * Refusals before any upstream call: bad input (BAD_USER_INPUT naming the argument), a role below operator
 * (FORBIDDEN, before validation), and deployments the caller may not act on. The simulator's request log —
 * platform and brokers — must stay empty for every bad input.
 */

const R = '{ __typename ... on Error { code message } ... on BadUserInputError { field } }';
const M = {
  publish: `mutation($id: String!, $input: PublishInput!) { m: publish(deploymentId: $id, input: $input) ${R} }`,
  publishBatch: `mutation($id: String!, $messages: [PublishInput!]!) { m: publishBatch(deploymentId: $id, messages: $messages) ${R} }`,
  kickClient: `mutation($id: String!, $clientId: String!) { m: kickClient(deploymentId: $id, clientId: $clientId) ${R} }`,
  kickClients: `mutation($id: String!, $clientIds: [String!]!) { m: kickClients(deploymentId: $id, clientIds: $clientIds) ${R} }`,
  subscribeClient: `mutation($id: String!, $clientId: String!, $topic: String!, $qos: Int) { m: subscribeClient(deploymentId: $id, clientId: $clientId, topic: $topic, qos: $qos) ${R} }`,
  unsubscribeClient: `mutation($id: String!, $clientId: String!, $topic: String!) { m: unsubscribeClient(deploymentId: $id, clientId: $clientId, topic: $topic) ${R} }`,
  subscribeClientBatch: `mutation($id: String!, $clientId: String!, $subscriptions: [MqttSubscriptionInput!]!) { m: subscribeClientBatch(deploymentId: $id, clientId: $clientId, subscriptions: $subscriptions) ${R} }`,
  unsubscribeClientBatch: `mutation($id: String!, $clientId: String!, $topics: [String!]!) { m: unsubscribeClientBatch(deploymentId: $id, clientId: $clientId, topics: $topics) ${R} }`,
  createRule: `mutation($id: String!, $input: RuleInput!, $ruleId: String) { m: createRule(deploymentId: $id, input: $input, id: $ruleId) ${R} }`,
  updateRule: `mutation($id: String!, $ruleId: String!, $input: RuleInput!) { m: updateRule(deploymentId: $id, id: $ruleId, input: $input) ${R} }`,
  deleteRule: `mutation($id: String!, $ruleId: String!) { m: deleteRule(deploymentId: $id, id: $ruleId) ${R} }`,
  setRuleEnabled: `mutation($id: String!, $ruleId: String!) { m: setRuleEnabled(deploymentId: $id, id: $ruleId, enabled: false) ${R} }`,
  resetRuleMetrics: `mutation($id: String!, $ruleId: String!) { m: resetRuleMetrics(deploymentId: $id, id: $ruleId) ${R} }`,
  testRuleSql: `mutation($id: String!, $sql: String!, $message: RuleTestInput!) { m: testRuleSql(deploymentId: $id, sql: $sql, message: $message) ${R} }`,
  createBan: `mutation($id: String!, $input: BanInput!) { m: createBan(deploymentId: $id, input: $input) ${R} }`,
  deleteBan: `mutation($id: String!, $kind: BanKind!, $who: String!) { m: deleteBan(deploymentId: $id, kind: $kind, who: $who) ${R} }`,
  clearBans: `mutation($id: String!) { m: clearBans(deploymentId: $id) ${R} }`,
  deleteRetainedMessage: `mutation($id: String!, $topic: String!) { m: deleteRetainedMessage(deploymentId: $id, topic: $topic) ${R} }`,
  createAuthnUser: `mutation($id: String!, $input: AuthnUserInput!) { m: createAuthnUser(deploymentId: $id, input: $input) ${R} }`,
  updateAuthnUser: `mutation($id: String!, $userId: String!, $password: String!) { m: updateAuthnUser(deploymentId: $id, userId: $userId, password: $password) ${R} }`,
  deleteAuthnUser: `mutation($id: String!, $userId: String!) { m: deleteAuthnUser(deploymentId: $id, userId: $userId) ${R} }`,
  importAuthnUsers: `mutation($id: String!, $users: [AuthnUserInput!]!) { m: importAuthnUsers(deploymentId: $id, users: $users) ${R} }`,
  setAuthzRules: `mutation($id: String!, $kind: AuthzRuleKind!, $who: String, $rules: [AuthzRuleInput!]!) { m: setAuthzRules(deploymentId: $id, kind: $kind, who: $who, rules: $rules) ${R} }`,
  deleteAuthzRules: `mutation($id: String!, $kind: AuthzRuleKind!, $who: String) { m: deleteAuthzRules(deploymentId: $id, kind: $kind, who: $who) ${R} }`,
};
type Name = keyof typeof M;

const LIMIT = 1024;
const seventyKb = 'x'.repeat(70 * 1024);
const sql = 'SELECT * FROM "t/#"';
const msg = { topic: 't', payload: 'p' };
const rule = { topic: 't/#', permission: 'ALLOW', action: 'ALL' };
const past = '2001-01-01T00:00:00Z';

/** Valid variables per mutation; each bad case overrides one of them. */
const VALID: Record<Name, Record<string, unknown>> = {
  publish: { input: msg },
  publishBatch: { messages: [msg] },
  kickClient: { clientId: 'c' },
  kickClients: { clientIds: ['c'] },
  subscribeClient: { clientId: 'c', topic: 't', qos: 0 },
  unsubscribeClient: { clientId: 'c', topic: 't' },
  subscribeClientBatch: { clientId: 'c', subscriptions: [{ topic: 't' }] },
  unsubscribeClientBatch: { clientId: 'c', topics: ['t'] },
  createRule: { input: { sql, actions: [] } },
  updateRule: { ruleId: 'r1', input: { sql, actions: [] } },
  deleteRule: { ruleId: 'r1' },
  setRuleEnabled: { ruleId: 'r1' },
  resetRuleMetrics: { ruleId: 'r1' },
  testRuleSql: { sql, message: msg },
  createBan: { input: { kind: 'CLIENT_ID', who: 'c' } },
  deleteBan: { kind: 'CLIENT_ID', who: 'c' },
  clearBans: {},
  deleteRetainedMessage: { topic: 't' },
  createAuthnUser: { input: { userId: 'u', password: 'p' } },
  updateAuthnUser: { userId: 'u', password: 'p' },
  deleteAuthnUser: { userId: 'u' },
  importAuthnUsers: { users: [{ userId: 'u', password: 'p' }] },
  setAuthzRules: { kind: 'USERNAME', who: 'u', rules: [rule] },
  deleteAuthzRules: { kind: 'USERNAME', who: 'u' },
};

const PATHY = ['.', '..', '%2e%2e', '%2E%2E', 'a\r\nb', 'a\u0000b', '../x', 'a/../b'];

/** [mutation, label, variables to override, the field the refusal must name]. */
const BAD: Array<[Name, string, Record<string, unknown>, string]> = [
  ...(Object.keys(VALID) as Name[]).flatMap((name) =>
    ['a/b', '..', '.', '%2e%2e', 'A1B2\r\n', ''].map(
      (id): [Name, string, Record<string, unknown>, string] => [
        name,
        `deploymentId ${JSON.stringify(id)}`,
        { id },
        'deploymentId',
      ],
    ),
  ),
  ...['a/+', 'a/#', '#', '+/x', seventyKb, 'a\u0000b', 'a\r\nb', '', '$share/g/t'].map(
    (topic): [Name, string, Record<string, unknown>, string] => [
      'publish',
      `topic ${JSON.stringify(topic.slice(0, 12))}`,
      { input: { ...msg, topic } },
      'input.topic',
    ],
  ),
  ['publish', 'qos 3', { input: { ...msg, qos: 3 } }, 'input.qos'],
  ['publish', 'qos -1', { input: { ...msg, qos: -1 } }, 'input.qos'],
  [
    'publish',
    'invalid base64',
    { input: { ...msg, payload: 'not base64!', encoding: 'BASE64' } },
    'input.payload',
  ],
  ['publish', 'unpadded base64', { input: { ...msg, payload: 'aGk', encoding: 'BASE64' } }, 'input.payload'],
  [
    'publish',
    'payload over the limit',
    { input: { ...msg, payload: 'x'.repeat(LIMIT + 1) } },
    'input.payload',
  ],
  [
    'publish',
    'base64 over the limit',
    { input: { ...msg, payload: Buffer.alloc(LIMIT + 1).toString('base64'), encoding: 'BASE64' } },
    'input.payload',
  ],
  ['publishBatch', 'empty batch', { messages: [] }, 'messages'],
  ['publishBatch', 'wildcard in item 2', { messages: [msg, { ...msg, topic: 'x/#' }] }, 'messages.1.topic'],
  ...[...PATHY, '', seventyKb].map((clientId): [Name, string, Record<string, unknown>, string] => [
    'kickClient',
    `clientId ${JSON.stringify(clientId.slice(0, 12))}`,
    { clientId },
    'clientId',
  ]),
  ['kickClients', 'no IDs', { clientIds: [] }, 'clientIds'],
  ['kickClients', '.. as item 2', { clientIds: ['ok', '..'] }, 'clientIds.1'],
  ['subscribeClient', 'qos 3', { qos: 3 }, 'qos'],
  ['subscribeClient', '# not last', { topic: 'a/#/b' }, 'topic'],
  ['subscribeClient', '+ inside a level', { topic: 'a+/b' }, 'topic'],
  ['subscribeClient', 'clientId ..', { clientId: '..' }, 'clientId'],
  ['subscribeClient', '70 KB filter', { topic: seventyKb }, 'topic'],
  ['unsubscribeClient', 'empty topic', { topic: '' }, 'topic'],
  ['unsubscribeClient', 'clientId .', { clientId: '.' }, 'clientId'],
  [
    'subscribeClientBatch',
    'qos 3 in item 1',
    { subscriptions: [{ topic: 't', qos: 3 }] },
    'subscriptions.0.qos',
  ],
  ['unsubscribeClientBatch', 'bad filter', { topics: ['a/#/b'] }, 'topics.0'],
  ['createRule', 'empty sql', { input: { sql: '  ', actions: [] } }, 'input.sql'],
  ['createRule', 'actions not a list', { input: { sql, actions: { name: 'x' } } }, 'input.actions'],
  ...['a/b', '..', '%2e%2e', 'a b', 'a\nb'].map((ruleId): [Name, string, Record<string, unknown>, string] => [
    'createRule',
    `id ${JSON.stringify(ruleId)}`,
    { ruleId },
    'id',
  ]),
  ...['a/b', '.', '..', '%2e%2e', 'a\r\n'].flatMap((ruleId) =>
    (['updateRule', 'deleteRule', 'setRuleEnabled', 'resetRuleMetrics'] as const).map(
      (name): [Name, string, Record<string, unknown>, string] => [
        name,
        `id ${JSON.stringify(ruleId)}`,
        { ruleId },
        'id',
      ],
    ),
  ),
  ['testRuleSql', 'wildcard sample topic', { message: { ...msg, topic: 'a/#' } }, 'message.topic'],
  ['testRuleSql', 'empty sql', { sql: '' }, 'sql'],
  ...PATHY.map((who): [Name, string, Record<string, unknown>, string] => [
    'createBan',
    `client ID ${JSON.stringify(who)}`,
    { input: { kind: 'CLIENT_ID', who } },
    'input.who',
  ]),
  [
    'createBan',
    'peer host that is not an address',
    { input: { kind: 'PEER_HOST', who: 'example.com' } },
    'input.who',
  ],
  ['createBan', 'CIDR /33', { input: { kind: 'PEER_HOST_NET', who: '10.0.0.0/33' } }, 'input.who'],
  ['createBan', 'until in the past', { input: { kind: 'CLIENT_ID', who: 'c', until: past } }, 'input.until'],
  ...PATHY.map((who): [Name, string, Record<string, unknown>, string] => [
    'deleteBan',
    `who ${JSON.stringify(who)}`,
    { who },
    'who',
  ]),
  ...['a/#', '+', '', 'a/../b', '..', seventyKb, 'a\r\nb'].map(
    (topic): [Name, string, Record<string, unknown>, string] => [
      'deleteRetainedMessage',
      `topic ${JSON.stringify(topic.slice(0, 12))}`,
      { topic },
      'topic',
    ],
  ),
  ...PATHY.map((userId): [Name, string, Record<string, unknown>, string] => [
    'createAuthnUser',
    `userId ${JSON.stringify(userId)}`,
    { input: { userId, password: 'p' } },
    'input.userId',
  ]),
  ['createAuthnUser', 'empty password', { input: { userId: 'u', password: '' } }, 'input.password'],
  ['updateAuthnUser', 'userId with CR/LF', { userId: 'u\r\n' }, 'userId'],
  ['deleteAuthnUser', 'userId ..', { userId: '..' }, 'userId'],
  ['importAuthnUsers', 'no users', { users: [] }, 'users'],
  [
    'importAuthnUsers',
    '%2e%2e as user 1',
    { users: [{ userId: '%2e%2e', password: 'p' }] },
    'users.0.userId',
  ],
  ['setAuthzRules', 'bad filter', { rules: [{ ...rule, topic: 'a/#/b' }] }, 'rules.0.topic'],
  ['setAuthzRules', 'qos 3', { rules: [{ ...rule, qos: [3] }] }, 'rules.0.qos.0'],
  ['setAuthzRules', 'who ..', { who: '..' }, 'who'],
  ['deleteAuthzRules', 'who %2e%2e', { who: '%2e%2e' }, 'who'],
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    configure: (config) => {
      config.limits = { maxPayloadBytes: LIMIT };
      delete config.deployments.d7e8f9a0;
    },
  });
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const run = async (
  name: Name,
  overrides: Record<string, unknown>,
  token = stack.tokens.operator,
  id = V5,
) => {
  const { body } = await stack.gql(M[name], { variables: { id, ...VALID[name], ...overrides }, token });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.m;
};

describe('bad input is BAD_USER_INPUT, names the argument, and sends nothing', () => {
  it.each(BAD)('%s: %s', async (name, _label, overrides, field) => {
    for (const id of [V5, V4]) {
      const answer = await run(name, overrides, stack.tokens.operator, (overrides.id as string) ?? id);
      expect(answer).toMatchObject({ __typename: 'BadUserInputError', code: 'BAD_USER_INPUT', field });
    }
    expect(stack.sim.requestLog.count()).toBe(0);
  });
});

describe('roles', () => {
  it.each(Object.keys(M) as Name[])(
    '%s: a viewer is FORBIDDEN before the input is even looked at',
    async (name) => {
      const answer = await run(name, { id: '..' }, stack.tokens.viewer);
      expect(answer).toMatchObject({ __typename: 'GatewayError', code: 'FORBIDDEN' });
      expect(stack.sim.requestLog.count()).toBe(0);
      const audit = stack.logs[0]!.lines.map((l) => JSON.parse(l)).filter(
        (l) => l.audit && l.operation === name,
      );
      expect(audit.at(-1)).toMatchObject({
        caller: 'viewer-key',
        role: 'viewer',
        outcome: 'rejected',
        code: 'FORBIDDEN',
      });
    },
  );

  it('an operator limited to other projects sees the deployment as missing and never reaches its broker', async () => {
    const answer = await run('kickClient', {}, stack.tokens.stagingOperator, V5);
    expect(answer).toMatchObject({ code: 'NOT_FOUND' });
    expect(stack.sim.requestLog.count({ target: V5 })).toBe(0);
  });
});

describe('deployments that cannot take a write', () => {
  it('a stopped deployment is DEPLOYMENT_NOT_RUNNING', async () => {
    expect(await run('publish', {}, stack.tokens.operator, 'f3a4b5c6')).toMatchObject({
      code: 'DEPLOYMENT_NOT_RUNNING',
    });
    expect(stack.sim.requestLog.count({ target: 'f3a4b5c6' })).toBe(0);
  });

  it('a deployment without broker configuration is BROKER_NOT_CONFIGURED', async () => {
    expect(await run('publish', {}, stack.tokens.operator, 'd7e8f9a0')).toMatchObject({
      code: 'BROKER_NOT_CONFIGURED',
    });
    expect(stack.sim.requestLog.count({ target: 'd7e8f9a0' })).toBe(0);
  });
});
