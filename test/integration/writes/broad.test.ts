// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX placeholders such as ${topic} are literal text here.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { V5 } from '../broker/mutations/helpers.ts';

/**
 * Broad writes over GraphQL (CONTRACT §6), one row per broad case with its narrow twin: an operator gets
 * FORBIDDEN and an admin without a reason BAD_USER_INPUT naming `justification`, neither with an upstream
 * call; an admin with one succeeds and the audit line keeps the text; the twin stays an operator's.
 */

const PICK = `__typename ... on Error { code } ... on BadUserInputError { field }`;

interface Row {
  name: string;
  field: string;
  /** Arguments in GraphQL syntax, before `justification`. */
  broad: string;
  narrow: string | null;
}

/** The actions as a GraphQL literal of the JSON scalar (object keys unquoted). */
const rule = (actions: unknown) =>
  `input: { sql: "SELECT * FROM \\"t/#\\"", actions: ${JSON.stringify(actions).replace(/"(\w+)":/g, '$1:')} }`;

const ROWS: Row[] = [
  { name: 'clear every ban', field: 'clearBans', broad: '', narrow: null },
  {
    name: 'client ID regex ban',
    field: 'createBan',
    broad: 'input: { kind: CLIENT_ID_REGEX, who: ".*" }',
    narrow: 'input: { kind: CLIENT_ID, who: "evil-1" }',
  },
  {
    name: 'username regex ban',
    field: 'createBan',
    broad: 'input: { kind: USERNAME_REGEX, who: "^m" }',
    narrow: 'input: { kind: USERNAME, who: "mallory" }',
  },
  {
    name: 'ban of every IPv4 address',
    field: 'createBan',
    broad: 'input: { kind: PEER_HOST_NET, who: "0.0.0.0/0" }',
    narrow: 'input: { kind: PEER_HOST_NET, who: "203.0.113.0/24" }',
  },
  {
    name: 'ban of an IPv6 /32',
    field: 'createBan',
    broad: 'input: { kind: PEER_HOST_NET, who: "2001:db8::/32" }',
    narrow: 'input: { kind: PEER_HOST_NET, who: "2001:db8:1::/48" }',
  },
  {
    name: 'authorization rules for all',
    field: 'setAuthzRules',
    broad: 'kind: ALL, rules: [{ topic: "#", permission: ALLOW, action: ALL }]',
    narrow: 'kind: USERNAME, who: "dev-1", rules: [{ topic: "#", permission: ALLOW, action: ALL }]',
  },
  {
    name: 'deleting the rules for all',
    field: 'deleteAuthzRules',
    broad: 'kind: ALL',
    narrow: 'kind: USERNAME, who: "dev-1"',
  },
  {
    name: 'retained publish to $SYS/',
    field: 'publish',
    broad: 'input: { topic: "$SYS/brokers/x", payload: "fake", retain: true }',
    narrow: 'input: { topic: "sensors/x", payload: "real", retain: true }',
  },
  {
    name: 'a batch with one $SYS/ message',
    field: 'publishBatch',
    broad: 'messages: [{ topic: "a/1", payload: "x" }, { topic: "$SYS/brokers/y", payload: "x" }]',
    narrow: 'messages: [{ topic: "a/1", payload: "x" }, { topic: "a/$SYS", payload: "x" }]',
  },
  {
    name: 'a rule republishing to $SYS/',
    field: 'createRule',
    broad: rule([{ function: 'republish', args: { topic: '$SYS/brokers/z' } }]),
    narrow: rule([{ function: 'republish', args: { topic: 'copy/${topic}' } }]),
  },
  {
    name: 'a rule updated to send data out',
    field: 'updateRule',
    broad: `id: "broad-rule", ${rule(['http:exfiltrate'])}`,
    narrow: `id: "broad-rule", ${rule([{ function: 'console' }])}`,
  },
  { name: 'clear every retained message', field: 'clearRetainedMessages', broad: '', narrow: null },
  { name: 'clear every authorization rule', field: 'clearAuthzRules', broad: '', narrow: null },
  {
    name: 'a connector that sends data out',
    field: 'createConnector',
    broad: 'input: { type: "http", name: "broad_out", config: { url: "http://127.0.0.1:9/x" } }',
    narrow:
      'input: { type: "kafka_consumer", name: "broad_in", config: { bootstrap_hosts: "127.0.0.1:9092" } }',
  },
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // updateRule needs a rule to update; created by an operator (a console action is narrow).
  await stack.gql(
    `mutation { createRule(deploymentId: "${V5}", id: "broad-rule", ${rule([{ function: 'console' }])}) { __typename } }`,
    { token: stack.tokens.operator },
  );
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const call = async (row: Row, args: string, token: string, justification?: string) => {
  const reason = justification === undefined ? '' : `, justification: ${JSON.stringify(justification)}`;
  const comma = args ? ', ' : '';
  const { body } = await stack.gql(
    `mutation { ${row.field}(deploymentId: "${V5}"${comma}${args}${reason}) { ${PICK} } }`,
    { token },
  );
  expect(body.errors, row.name).toBeUndefined();
  return body.data[row.field];
};

const upstreamCalls = () => stack.sim.requestLog.count({ target: V5 });
const auditLines = () =>
  stack.logs[0]!.lines.map((line) => JSON.parse(line)).filter((line) => line.audit === true);

describe.each(ROWS)('$name ($field)', (row) => {
  it('is FORBIDDEN to an operator, even with a justification, and calls nothing', async () => {
    expect(await call(row, row.broad, stack.tokens.operator, 'I mean it')).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(upstreamCalls()).toBe(0);
  });

  it('is BAD_USER_INPUT naming justification for an admin without one, or with a blank one', async () => {
    for (const justification of [undefined, '   ']) {
      expect(await call(row, row.broad, stack.tokens.admin, justification)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'justification',
      });
    }
    expect(await call(row, row.broad, stack.tokens.admin, 'x'.repeat(501))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'justification',
    });
    expect(upstreamCalls()).toBe(0);
  });

  it('succeeds for an admin with a justification, which the audit line keeps', async () => {
    const reason = `incident ${crypto.randomUUID()}`;
    const answer = await call(row, row.broad, stack.tokens.admin, reason);
    expect(answer.__typename, JSON.stringify(answer)).toMatch(/Success$/);
    expect(upstreamCalls()).toBeGreaterThan(0);
    expect(auditLines().at(-1)).toMatchObject({
      operation: row.field,
      role: 'admin',
      outcome: 'success',
      justification: reason,
      broad: expect.any(String),
    });
  });

  // Only the rows with a narrow twin declare this test (no skipped tests for the others).
  const narrow = row.narrow;
  if (narrow !== null) {
    it('has a narrow twin that stays with the operator', async () => {
      const answer = await call(row, narrow, stack.tokens.operator);
      expect(answer.__typename, JSON.stringify(answer)).toMatch(/Success$/);
      expect(auditLines().at(-1)).not.toHaveProperty('broad');
    });
  }
});
