import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

/**
 * A caller that goes away stops its operation: the platform call already in flight completes (its answer fills
 * the cache for everyone), but no broker call is started for the fields that were still to be resolved.
 */
describe('a caller that disconnects', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('starts no broker call after it has gone', async () => {
    stack.sim.faults.set('platform', { delayMs: 300 });
    const caller = new AbortController();
    const abandoned = request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
      body: JSON.stringify({
        query: '{ deployments { edges { node { deploymentId stats { connections } } } } }',
      }),
      signal: caller.signal,
    }).catch((error: Error) => error);
    while (stack.sim.requestLog.count({ target: 'platform' }) === 0)
      await new Promise((r) => setImmediate(r));
    caller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    stack.sim.faults.clear();

    // A second caller asking for the same list waits on the same platform fetch; once it has its answer, the
    // first operation has had every chance to go on to the brokers.
    const { body } = await stack.gql('{ deployments { totalCount } }');
    expect(body.data.deployments.totalCount).toBe(5);
    await stack.gql('{ upstreamQuotas { endpoint } }');
    expect(stack.sim.requestLog.count({ target: 'platform' })).toBe(1);
    const brokerCalls = stack.sim.requestLog.entries().filter((e) => e.target !== 'platform');
    expect(brokerCalls).toEqual([]);
    expect(stack.logs[0]!.text()).not.toContain('unexpected error');

    const control = await stack.gql('{ deployments { edges { node { stats { connections } } } } }');
    expect(control.body.data.deployments.edges.some((e: any) => e.node.stats)).toBe(true);
    expect(stack.sim.requestLog.entries().filter((e) => e.target !== 'platform').length).toBeGreaterThan(0);
  });
});
