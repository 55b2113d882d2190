import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * More concurrent heavy queries than a replica admits: each is either answered with data or shed at once with
 * 503 and Retry-After (before its body is parsed); nobody waits past the budget; the probes keep answering.
 */

const MAX_IN_FLIGHT = 4;
const TIMEOUT_MS = 2_000;
const V5 = 'a1b2c3d4';
const HEAVY = `{ deployments { edges { node { deploymentId clients(first: 5) { totalCount } } } } }`;

describe('load shedding', () => {
  let redis: TestRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.upstream.timeoutMs = TIMEOUT_MS;
        config.cache.brokerTtlSeconds = 0.001;
        Object.assign(config.server, { maxInFlight: MAX_IN_FLIGHT });
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('answers or sheds at once with 503 + Retry-After; probes are never shed', async () => {
    await stack.gql('{ deployments { totalCount } }');
    stack.sim.faults.set(V5, { delayMs: 400 });
    const send = async () => {
      const started = performance.now();
      const response = await request(`${stack.urls[0]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
        body: JSON.stringify({ query: HEAVY }),
      });
      const body = (await response.body.json()) as any;
      return {
        status: response.statusCode,
        retryAfter: response.headers['retry-after'],
        body,
        ms: performance.now() - started,
      };
    };
    const answers = Promise.all(Array.from({ length: 40 }, send));
    const probes = await Promise.all(
      ['/healthz', '/readyz', '/metrics'].map(
        async (path) => (await request(`${stack.urls[0]}${path}`)).statusCode,
      ),
    );
    const results = await answers;
    stack.sim.faults.clear();

    const served = results.filter((r) => r.status === 200);
    const shed = results.filter((r) => r.status === 503);
    const slowest = (list: typeof results) => Math.max(0, ...list.map((r) => r.ms));
    const median = (list: typeof results) =>
      list.map((r) => r.ms).sort((a, b) => a - b)[list.length >> 1] ?? 0;
    console.log(
      `overload: 40 concurrent heavy queries at maxInFlight ${MAX_IN_FLIGHT}: ${served.length} served ` +
        `(median ${median(served).toFixed(0)} ms, slowest ${slowest(served).toFixed(0)} ms), ${shed.length} shed ` +
        `(median ${median(shed).toFixed(0)} ms, slowest ${slowest(shed).toFixed(0)} ms)`,
    );
    expect(probes).toEqual([200, 200, 200]);
    expect(served.length + shed.length).toBe(results.length);
    expect(served.length).toBeGreaterThanOrEqual(MAX_IN_FLIGHT);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of served) expect(r.body.data.deployments.edges.length).toBe(5);
    for (const r of shed) {
      expect(r.retryAfter).toBe('1');
      expect(r.body.errors[0].extensions.code).toBe('OVERLOADED');
    }
    expect(slowest(results)).toBeLessThan(TIMEOUT_MS + 1_500);
    const metrics = await (await request(`${stack.urls[0]}/metrics`)).body.text();
    expect(metrics).toMatch(/gateway_shed_requests_total\{reason="in_flight"\} [1-9]/);
  });
});
