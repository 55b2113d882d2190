import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * A failing broker costs EMQX at most `failures` calls plus one probe per `openSeconds`, while the healthy
 * deployments keep answering, and it is used again once it heals. Driven with the simulator's fault switches
 * (503, hang) and a broker address where nothing listens (refused), one caller at a time for a fixed period.
 */

const HEALTHY = 'e5f6a7b8';
const FAILING_503 = 'a1b2c3d4';
const HANGING = 'c9d0e1f2';
const REFUSING = 'd7e8f9a0';
const FAILURES = 3;
const OPEN_SECONDS = 1;
const PERIOD_MS = 5_000;

const query = (id: string) => `{
  target: deployment(deploymentId: "${id}") { clients(first: 1) { totalCount } }
  healthy: deployment(deploymentId: "${HEALTHY}") { clients(first: 1) { totalCount } } }`;

/** The most calls the breaker may let through in `PERIOD_MS`: the failures that open it, then one probe a period. */
const allowedCalls = FAILURES + Math.ceil(PERIOD_MS / (OPEN_SECONDS * 1000)) + 1;

describe('circuit breaker per deployment broker', () => {
  let redis: TestRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startRedis();
    const deadPort = await freePort();
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.upstream = {
          connectTimeoutMs: 500,
          timeoutMs: 800,
          brokerConcurrency: 8,
          breaker: { failures: FAILURES, openSeconds: OPEN_SECONDS },
        };
        config.cache.brokerTtlSeconds = 0.001;
        // One caller drives thousands of queries on a quiet machine; the per-caller rate limit has its own tests.
        config.security = { rateLimit: { requests: 0 } };
        config.deployments[REFUSING].apiUrl = `http://127.0.0.1:${deadPort}/api/v5`;
      },
    });
    await stack.sim.setStatus(HANGING, 'running');
    await stack.sim.setStatus(REFUSING, 'running');
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  /** One query after another for PERIOD_MS; returns how many answered with the healthy deployment's data. */
  async function drive(id: string) {
    const deadline = performance.now() + PERIOD_MS;
    let queries = 0;
    let healthyAnswers = 0;
    let slowest = 0;
    const codes = new Set<string>();
    while (performance.now() < deadline) {
      const started = performance.now();
      const { body } = await stack.gql(query(id), { token: stack.tokens.viewer });
      slowest = Math.max(slowest, performance.now() - started);
      queries++;
      if (typeof body.data?.healthy?.clients?.totalCount === 'number') healthyAnswers++;
      for (const error of body.errors ?? []) codes.add(String(error.extensions?.code));
    }
    return { queries, healthyAnswers, codes, slowest };
  }

  async function healsAfterwards(id: string) {
    const until = performance.now() + OPEN_SECONDS * 1000 + 5_000;
    for (;;) {
      const { body } = await stack.gql(query(id), { token: stack.tokens.viewer });
      if (typeof body.data?.target?.clients?.totalCount === 'number') return true;
      if (performance.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Refused connection attempts to any broker: only REFUSING points at a port where nothing listens. */
  const refusedAttempts = () =>
    stack.gateways[0]!.services.metrics.upstreamCalls.get().then((metric) =>
      metric.values
        .filter((v) => v.labels.api === 'broker' && v.labels.status === 'ECONNREFUSED')
        .reduce((sum, v) => sum + v.value, 0),
    );

  it.each([
    ['answering 503', FAILING_503],
    ['hanging', HANGING],
  ])('a broker %s is called at most failures + one probe per openSeconds', async (label, id) => {
    if (id === HANGING) stack.sim.faults.set(id, { hang: true });
    else stack.sim.faults.set(id, { status: 503, body: '{"code":"SERVICE_UNAVAILABLE","message":"busy"}' });
    const before = stack.sim.requestLog.count({ target: id });
    const run = await drive(id);
    const calls = stack.sim.requestLog.count({ target: id }) - before;
    console.log(
      `broker ${label}: ${run.queries} queries in ${PERIOD_MS} ms, ${calls} calls reached it ` +
        `(${((calls * 1000) / PERIOD_MS).toFixed(1)}/s, allowed ${allowedCalls}), ` +
        `healthy answered ${run.healthyAnswers}/${run.queries}, slowest ${run.slowest.toFixed(0)} ms`,
    );
    expect(calls).toBeLessThanOrEqual(allowedCalls);
    expect(calls).toBeGreaterThanOrEqual(FAILURES);
    expect(run.healthyAnswers).toBe(run.queries);
    expect([...run.codes]).toEqual(['UPSTREAM_UNAVAILABLE']);
    stack.sim.faults.clear(id);
    expect(await healsAfterwards(id)).toBe(true);
  });

  it('a broker refusing connections is tried at most failures + one probe per openSeconds', async () => {
    const run = await drive(REFUSING);
    // An idempotent read that was never sent is tried twice within one call (readRetries).
    const attempts = await refusedAttempts();
    console.log(
      `broker refusing: ${run.queries} queries in ${PERIOD_MS} ms, ${attempts} connection attempts ` +
        `(${((attempts * 1000) / PERIOD_MS).toFixed(1)}/s, allowed ${2 * allowedCalls}), ` +
        `healthy answered ${run.healthyAnswers}/${run.queries}`,
    );
    expect(attempts).toBeLessThanOrEqual(2 * allowedCalls);
    expect(attempts).toBeGreaterThanOrEqual(FAILURES);
    expect(run.healthyAnswers).toBe(run.queries);
  });

  it('exposes the breaker state as a gauge and logs each change once', async () => {
    const metrics = await stack.gateways[0]!.services.metrics.registry.metrics();
    expect(metrics).toMatch(new RegExp(`gateway_circuit_breaker_state\\{upstream="${REFUSING}"\\} [12]`));
    expect(metrics).toMatch(new RegExp(`gateway_circuit_breaker_state\\{upstream="${HEALTHY}"\\} 0`));
    const opened = stack.logs[0]!.lines.filter(
      (line) => line.includes('circuit open') && line.includes(FAILING_503),
    );
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened.length).toBeLessThanOrEqual(Math.ceil(PERIOD_MS / (OPEN_SECONDS * 1000)) + 1);
  });
});
