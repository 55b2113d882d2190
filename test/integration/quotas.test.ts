import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../helpers/process.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { type Stack, stackConfig, startStack } from '../helpers/stack.ts';

/**
 * The platform allows 60 list calls an hour; here an "hour" is 20 seconds and the budget 10 calls, with a
 * deployments TTL so short that nearly every query wants a refresh.
 */
const QUOTA = { limit: 10, windowSeconds: 20 };
const configure = (config: Record<string, any>) => {
  config.platform.quotas = { listDeployments: QUOTA, getDeployment: QUOTA };
  config.cache.deploymentsTtlSeconds = 0.02;
};
const QUERY = '{ deployments { totalCount edges { node { deploymentId status freshness { source } } } } }';

const listCalls = (stack: Stack) =>
  stack.sim.requestLog
    .entries({ target: 'platform', method: 'GET' })
    .filter((e) => e.rawPath === '/public_api/v1/deployments').length;

async function postQuery(url: string, token: string) {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.body.json()) as any;
}

/** `callers` workers share `total` queries, spread round-robin over `urls`; returns every response body. */
async function hammer(urls: string[], token: string, total: number, callers: number) {
  let next = 0;
  const bodies: any[] = [];
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        const index = next++;
        bodies.push(await postQuery(urls[index % urls.length]!, token));
      }
    }),
  );
  return bodies;
}

const everyQueryGotData = (bodies: any[]) =>
  bodies.every((body) => !body.errors && body.data.deployments.totalCount === 5);

describe('fleet-wide platform quotas', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('300 queries from 20 callers on one gateway make at most 10 list calls, and all get data', async () => {
    const stack = await startStack({ configure });
    try {
      const bodies = await hammer(stack.urls, stack.tokens.viewer, 300, 20);
      expect(bodies).toHaveLength(300);
      expect(everyQueryGotData(bodies)).toBe(true);
      const calls = listCalls(stack);
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(calls).toBeLessThanOrEqual(QUOTA.limit);
      console.info(`one gateway: ${calls} platform list calls for 300 queries`);
    } finally {
      await stack.close();
    }
  });

  it('two gateway processes sharing one Redis stay under the same 10 calls in total', async () => {
    const stack = await startStack({ configure, redisUrl: redis.url });
    const document = stackConfig(stack.sim, stack.tokens);
    configure(document);
    const replicas: GatewayProcess[] = [];
    try {
      replicas.push(
        ...(await Promise.all([1, 2].map(() => spawnGateway(document, { REDIS_URL: redis.url })))),
      );
      stack.sim.requestLog.clear();
      const bodies = await hammer(
        replicas.map((r) => r.url),
        stack.tokens.viewer,
        300,
        20,
      );
      expect(everyQueryGotData(bodies)).toBe(true);
      const calls = listCalls(stack);
      expect(calls).toBeLessThanOrEqual(QUOTA.limit);
      const sources = new Set(bodies.map((b) => b.data.deployments.edges[0].node.freshness.source));
      expect(sources.has('STALE') || sources.has('CACHE')).toBe(true);
      console.info(`two processes + Redis: ${calls} platform list calls for 300 queries`);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
      await stack.close();
    }
  });
});

describe('an upstream 429', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.cache.deploymentsTtlSeconds = 0.05;
      },
    });
  });
  afterAll(() => stack.close());

  it('pauses the endpoint fleet-wide until Retry-After passes, serving stale data meanwhile', async () => {
    expect((await stack.gql(QUERY)).body.data.deployments.totalCount).toBe(5);
    stack.sim.requestLog.clear();
    stack.sim.faults.set('platform', {
      method: 'GET',
      status: 429,
      headers: { 'retry-after': '1' },
      body: '{}',
    });
    const pausedAt = Date.now();
    const bodies: any[] = [];
    while (listCalls(stack) === 0) bodies.push((await stack.gql(QUERY)).body);
    stack.sim.faults.clear();
    for (let i = 0; i < 20 && Date.now() - pausedAt < 800; i++) bodies.push((await stack.gql(QUERY)).body);
    expect(listCalls(stack)).toBe(1);
    expect(bodies.every((b) => b.data.deployments.totalCount === 5)).toBe(true);
    expect(bodies.at(-1).data.deployments.edges[0].node.freshness.source).toBe('STALE');
    const quotas = await stack.gql('{ upstreamQuotas { endpoint resetsAt } }');
    const list = quotas.body.data.upstreamQuotas.find((q: any) => q.endpoint === 'listDeployments');
    const resumesAt = Date.parse(list.resetsAt);
    expect(resumesAt).toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, resumesAt - Date.now()) + 50));
    let fresh: any;
    for (let i = 0; i < 50 && fresh?.data.deployments.edges[0].node.freshness.source !== 'UPSTREAM'; i++) {
      fresh = (await stack.gql(QUERY)).body;
    }
    expect(listCalls(stack)).toBeGreaterThanOrEqual(2);
  });
});

describe('Redis killed mid-test', () => {
  let redis: TestRedis;
  let stack: Stack;
  const START =
    'mutation { startDeployment(deploymentId: "f3a4b5c6") { __typename ... on Error { code message } } }';
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.cache.deploymentsTtlSeconds = 0.05;
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  const ready = async () => (await request(`${stack.urls[0]}/readyz`)).statusCode;
  const readiness = async () => (await request(`${stack.urls[0]}/readyz`)).body.json() as Promise<any>;

  it('keeps queries working, fails lifecycle writes closed, and recovers when Redis returns', async () => {
    expect((await stack.gql(QUERY)).body.data.deployments.totalCount).toBe(5);
    expect(await ready()).toBe(200);
    await redis.kill();

    for (let i = 0; i < 10; i++) {
      const { body } = await stack.gql(QUERY);
      expect(body.data.deployments.totalCount).toBe(5);
    }
    // This replica still serves (from memory, with its share of the quotas): ready, with Redis listed as degraded.
    expect(await ready()).toBe(200);
    expect((await readiness()).degraded).toContainEqual(expect.objectContaining({ component: 'redis' }));
    stack.sim.requestLog.clear();
    const refused = await stack.gql(START);
    expect(refused.body.data.startDeployment).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.data.startDeployment.message).toMatch(/quota store is unreachable/);
    expect(stack.sim.requestLog.entries({ method: 'POST' })).toHaveLength(0);

    await redis.restart();
    const redisDegraded = async () =>
      ((await readiness()).degraded as Array<{ component: string }>).some((d) => d.component === 'redis');
    let degraded = await redisDegraded();
    for (let i = 0; i < 100 && degraded; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      degraded = await redisDegraded();
    }
    expect(degraded).toBe(false);
    const started = await stack.gql(START);
    expect(started.body.data.startDeployment.__typename).toBe('StartDeploymentSuccess');
  });
});
