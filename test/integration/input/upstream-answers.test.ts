import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetCachedReads, type Stack, startStack } from '../../helpers/stack.ts';
import { closeOf, connectDevice, V4, V5 } from '../broker/mutations/helpers.ts';

/**
 * What callers see of EMQX's answers (CONTRACT.md §4): a cut-off or non-JSON 200 is UPSTREAM_UNAVAILABLE for a
 * read and OUTCOME_UNKNOWN for a write (it was INTERNAL_SERVER_ERROR, though the write had been applied), and
 * errors quote EMQX's code and status, never its free text, which stays in the scrubbed log.
 */

const STOPPED = 'f3a4b5c6';
const INTERNAL = 'upstream db-internal.corp.local:5432 refused the connection (/opt/emqx/etc/authn.conf)';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    configure: (config) => {
      config.cache.deploymentsTtlSeconds = 0.001;
    },
  });
});
afterAll(() => stack?.close());
beforeEach(async () => {
  stack.sim.faults.clear();
  await forgetCachedReads(stack);
});

const CLIENTS = (id: string) => `{ deployment(deploymentId: "${id}") { clients(first: 5) { totalCount } } }`;

describe.each([
  { version: 'v4', id: V4 },
  { version: 'v5', id: V5 },
])('a $version broker answering 200 with a body that is not JSON', ({ id }) => {
  it.each([
    ['cut off', { truncateBodyAt: 12 }],
    ['a proxy page', { status: 200, body: '<html>502</html>', headers: { 'content-type': 'text/html' } }],
  ])('a read of a %s body was INTERNAL_SERVER_ERROR; now UPSTREAM_UNAVAILABLE', async (_label, fault) => {
    stack.sim.faults.set(id, { method: 'GET', pathIncludes: '/clients', ...fault });
    const { body } = await stack.gql(CLIENTS(id));
    expect(body.data.deployment.clients).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('a write whose answer is cut off', () => {
  it('kickClient on v4 was INTERNAL_SERVER_ERROR although the client was kicked; now OUTCOME_UNKNOWN', async () => {
    const device = await connectDevice(stack, V4, 'cut-answer-kick');
    const closed = closeOf(device);
    stack.sim.faults.set(V4, { method: 'DELETE', truncateBodyAt: 3 });
    const { body } = await stack.gql(
      `mutation { kickClient(deploymentId: "${V4}", clientId: "cut-answer-kick") { __typename ... on Error { code } } }`,
    );
    expect(body.data.kickClient).toEqual({ __typename: 'GatewayError', code: 'OUTCOME_UNKNOWN' });
    await closed; // the write was applied: the device is gone
    expect(stack.sim.requestLog.entries({ target: V4, method: 'DELETE' })).toHaveLength(1);
  });

  it('startDeployment with a cut-off platform answer is OUTCOME_UNKNOWN, sent once', async () => {
    stack.sim.faults.set('platform', { method: 'POST', truncateBodyAt: 10 });
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(
      `mutation { startDeployment(deploymentId: "${STOPPED}") { __typename ... on Error { code } } }`,
    );
    expect(body.data.startDeployment).toEqual({ __typename: 'GatewayError', code: 'OUTCOME_UNKNOWN' });
    expect(stack.sim.requestLog.entries({ target: 'platform', method: 'POST' })).toHaveLength(1);
    expect(stack.sim.deployment(STOPPED)?.status).not.toBe('stopped');
  });

  it('a read of the platform list with a cut-off answer is UPSTREAM_UNAVAILABLE when nothing is cached', async () => {
    stack.sim.faults.set('platform', { method: 'GET', truncateBodyAt: 10 });
    const { body } = await stack.gql('{ deployments { totalCount } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe("EMQX's free text", () => {
  it.each([
    [
      'v5 400',
      V5,
      { status: 400, body: JSON.stringify({ code: 'BAD_REQUEST', message: INTERNAL }) },
      '400 BAD_REQUEST',
    ],
    [
      'v5 500',
      V5,
      { status: 500, body: JSON.stringify({ code: 'INTERNAL_ERROR', message: INTERNAL }) },
      '500',
    ],
    ['v4 in-body', V4, { status: 200, body: JSON.stringify({ code: 102, message: INTERNAL }) }, '200 102'],
  ])(
    '%s named internal hosts to callers; now only code and status, the text in the log',
    async (_l, id, fault, said) => {
      const mark = stack.logs[0]!.lines.length;
      stack.sim.faults.set(id, { method: 'GET', pathIncludes: '/clients', ...fault });
      const { body } = await stack.gql(CLIENTS(id));
      const text = JSON.stringify(body);
      expect(text).not.toContain('db-internal');
      expect(text).not.toContain('/opt/emqx');
      expect(body.errors?.[0]?.message).toContain(`answered ${said}`);
      const logged = stack.logs[0]!.lines.slice(mark).join('\n');
      expect(logged).toContain('db-internal.corp.local:5432');
    },
  );

  it('a mutation error union carries the code and status, not the text', async () => {
    stack.sim.faults.set(V5, {
      method: 'POST',
      status: 400,
      body: JSON.stringify({ code: 'BAD_REQUEST', message: INTERNAL }),
    });
    const { body } = await stack.gql(
      `mutation { publish(deploymentId: "${V5}", input: { topic: "t/1", payload: "x" }) { __typename ... on Error { code message } ... on UpstreamError { upstreamCode } } }`,
    );
    expect(body.data.publish).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'BAD_REQUEST' });
    expect(JSON.stringify(body)).not.toContain('db-internal');
  });
});
