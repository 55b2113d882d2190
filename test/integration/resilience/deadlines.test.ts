import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * One budget per request (`upstream.timeoutMs`, CONTRACT.md §8): a hung broker, its call slots all taken and
 * another replica's fetch lock in the way, still costs no query more than its budget plus a small margin; and a
 * caller that leaves takes its queued broker calls with it (the simulator's request log is the oracle).
 */

const HEALTHY = 'e5f6a7b8';
const HUNG = 'c9d0e1f2';
const TIMEOUT_MS = 1_000;
/** The contract's "small margin" on a loaded test machine: the budget is the correctness bound asserted. */
const BOUND_MS = 1_600;

const query = (n: number | string) => `{
  hung: deployment(deploymentId: "${HUNG}") { client(clientId: "c-${n}") { clientId } }
  healthy: deployment(deploymentId: "${HEALTHY}") { clients(first: 1) { totalCount } } }`;

async function post(url: string, token: string, body: string, signal?: AbortSignal) {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    ...(signal ? { signal } : {}),
  });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

describe('request deadlines', () => {
  let redis: TestRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.upstream = {
          connectTimeoutMs: 500,
          timeoutMs: TIMEOUT_MS,
          // Two slots for dozens of queries: most of them queue behind the hung calls.
          brokerConcurrency: 2,
          breaker: { failures: 1000, openSeconds: 1 },
        };
        config.security = { rateLimit: { requests: 0 } };
      },
    });
    await stack.addGateway();
    await stack.sim.setStatus(HUNG, 'running');
    // The deployment list is cached for both replicas; what is measured below is the broker path.
    await stack.gql(query(0));
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  /** `count` distinct reads at once, the last `shared` of them repeated on the other replica (its fetch locks). */
  async function burst(count: number, shared: number, offset: number) {
    const sends = Array.from({ length: count + shared }, async (_, i) => {
      const started = performance.now();
      const replica = i < count ? 0 : 1;
      const n = offset + (i < count ? i : count - 1 - (i - count));
      const { body } = await post(
        stack.urls[replica]!,
        stack.tokens.viewer,
        JSON.stringify({ query: query(n) }),
      );
      return { ms: performance.now() - started, body };
    });
    return Promise.all(sends);
  }

  it('a hung broker with timeoutMs 1000: every query answers within the budget, with the healthy data', async () => {
    stack.sim.faults.set(HUNG, { hang: true });
    // One unmeasured round first: the first requests through each code path pay for its compilation.
    await burst(4, 2, 1_000);
    const results = await burst(16, 8, 1);
    stack.sim.faults.clear(HUNG);
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const codes = new Set(results.flatMap((r) => (r.body.errors ?? []).map((e: any) => e.extensions?.code)));
    console.log(
      `hung broker, timeoutMs ${TIMEOUT_MS}, 2 slots, ${results.length} queries on 2 replicas: ` +
        `median ${times[times.length >> 1]!.toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms ` +
        `(bound ${BOUND_MS} ms), codes ${[...codes].join(',')}`,
    );
    expect(times.at(-1)).toBeLessThan(BOUND_MS);
    expect([...codes]).toEqual(['UPSTREAM_UNAVAILABLE']);
    for (const { body } of results) expect(typeof body.data.healthy.clients.totalCount).toBe('number');
  });

  it('caller abort: no queued broker call starts for a caller that has gone', async () => {
    stack.sim.faults.set(HUNG, { hang: true });
    const forGone = () =>
      stack.sim.requestLog.entries({ target: HUNG }).filter((entry) => entry.query.includes('gone-')).length;
    const callers = Array.from({ length: 8 }, (_, i) => {
      const controller = new AbortController();
      const body = JSON.stringify({ query: query(`gone-${i}`) });
      const done = post(stack.urls[0]!, stack.tokens.viewer, body, controller.signal).catch(() => 'aborted');
      return { controller, done };
    });
    // Two calls hold the two slots (hung); the other six wait in the queue.
    while (forGone() < 2) await new Promise((r) => setTimeout(r, 5));
    for (const caller of callers) caller.controller.abort();
    await Promise.all(callers.map((caller) => caller.done));
    stack.sim.faults.clear(HUNG);
    // The slot queue is first come, first served: had the gone callers' calls stayed queued, they would reach the
    // broker before this one does.
    const { body } = await post(stack.urls[0]!, stack.tokens.viewer, JSON.stringify({ query: query(200) }));
    expect(body.data.hung.client).toBeNull();
    console.log(`8 callers gone while 2 calls hung and 6 queued: ${forGone()} broker calls made for them`);
    expect(forGone()).toBe(2);
  });
});
