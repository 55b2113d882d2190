import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { mutate, V4, V5 } from './helpers.ts';

/**
 * Writes are never retried (docs/CONTRACT.md §5): one that was sent and got no answer is OUTCOME_UNKNOWN; a 429 or a
 * 5xx is reported as it is. Each case must reach EMQX exactly once.
 */

const R = '{ __typename ... on Error { code message } ... on RateLimitedError { retryAfterSeconds } }';
const CASES = [
  {
    name: 'publish',
    query: `mutation($id: String!) { m: publish(deploymentId: $id, input: { topic: "t", payload: "p", qos: 1 }) ${R} }`,
    path: { v5: '/publish', v4: '/mqtt/publish' },
  },
  {
    name: 'kickClient',
    query: `mutation($id: String!) { m: kickClient(deploymentId: $id, clientId: "dev-1") ${R} }`,
    path: { v5: '/clients/dev-1', v4: '/clients/dev-1' },
  },
  {
    name: 'createRule',
    query: `mutation($id: String!) { m: createRule(deploymentId: $id, id: "r-hang", input: { sql: "SELECT * FROM \\"t\\"", actions: [] }) ${R} }`,
    path: { v5: '/rules', v4: '/rules' },
  },
  {
    name: 'createBan',
    query: `mutation($id: String!) { m: createBan(deploymentId: $id, input: { kind: CLIENT_ID, who: "dev-9" }) ${R} }`,
    path: { v5: '/banned', v4: '/banned' },
  },
  {
    name: 'deleteRetainedMessage',
    query: `mutation($id: String!) { m: deleteRetainedMessage(deploymentId: $id, topic: "a/b") ${R} }`,
    path: { v5: '/mqtt/retainer/message/a%2Fb', v4: '/mqtt/publish' },
  },
] as const;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    configure: (config) => {
      config.upstream.timeoutMs = 300;
    },
  });
  // The whole request has 300 ms (CONTRACT.md §8): the deployment list is fetched here, not inside the first
  // case's budget, so each case measures its hanging write alone.
  await stack.gql('{ deployments { totalCount } }');
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sim.faults.clear();
  stack.sim.requestLog.clear();
});

describe.each([
  { version: 'v5' as const, id: V5 },
  { version: 'v4' as const, id: V4 },
])('$version', ({ version, id }) => {
  it.each(CASES)(
    '$name that hangs past the timeout is OUTCOME_UNKNOWN after exactly one request',
    async (c) => {
      const path = `/api/${version}${c.path[version]}`;
      stack.sim.faults.set(id, { hang: true, pathIncludes: path });
      const answer = await mutate(stack, c.query, { id });
      expect(answer).toMatchObject({ __typename: 'GatewayError', code: 'OUTCOME_UNKNOWN' });
      expect(answer.message).toMatch(/not retried/);
      const sent = stack.sim.requestLog.entries({ target: id }).filter((e) => e.method !== 'GET');
      expect(sent.map((e) => e.rawPath)).toEqual([path]);
      const audit = stack.logs[0]!.lines.map((l) => JSON.parse(l)).filter(
        (l) => l.audit && l.operation === c.name,
      );
      expect(audit.at(-1)).toMatchObject({ outcome: 'unknown', code: 'OUTCOME_UNKNOWN', deploymentId: id });
    },
  );

  it('a 429 on a write is RATE_LIMITED and is not retried', async () => {
    stack.sim.faults.set(id, { status: 429, body: '', headers: { 'retry-after': '7' }, method: 'POST' });
    const answer = await mutate(stack, CASES[0].query, { id });
    expect(answer).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 7 });
    expect(stack.sim.requestLog.count({ target: id, method: 'POST' })).toBe(1);
  });

  it('a 503 on a write is UPSTREAM_UNAVAILABLE and is not retried', async () => {
    stack.sim.faults.set(id, {
      status: 503,
      body: '{"code":"SERVICE_UNAVAILABLE","message":"busy"}',
      method: 'POST',
    });
    const answer = await mutate(stack, CASES[0].query, { id });
    expect(answer).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(stack.sim.requestLog.count({ target: id, method: 'POST' })).toBe(1);
  });
});

it('v4 kickClients: each client has its own outcome, one of them unknown', async () => {
  stack.sim.faults.set(V4, { hang: true, pathIncludes: '/clients/stuck' });
  const query = `mutation { kickClients(deploymentId: "${V4}", clientIds: ["stuck", "gone"]) {
    ... on KickClientsSuccess { results { __typename ... on Error { code } } }
  } }`;
  const answer = await mutate(stack, query);
  expect(answer.results).toEqual([
    { __typename: 'GatewayError', code: 'OUTCOME_UNKNOWN' },
    { __typename: 'GatewayError', code: 'NOT_FOUND' },
  ]);
  expect(stack.sim.requestLog.count({ target: V4, pathIncludes: '/clients/stuck' })).toBe(1);
});
