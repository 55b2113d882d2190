import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/** The per-caller request budget: fair between callers, fleet-wide through Redis, refused with 429 early. */

const QUERY = '{ deployments { totalCount } }';

async function post(url: string, token: string) {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  return {
    status: response.statusCode,
    retryAfter: response.headers['retry-after'],
    body: (await response.body.json()) as any,
  };
}

const limited = (requests: number) => (config: Record<string, any>) => {
  config.security = { rateLimit: { requests, windowSeconds: 60 } };
};

describe('per-caller rate limit on one gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ configure: limited(5) });
  });
  afterAll(() => stack.close());

  it('answers 429 RATE_LIMITED with retryAfterSeconds past the budget, and no upstream call', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(stack.urls[0]!, stack.tokens.viewer)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    stack.sim.requestLog.clear();
    const refused = await post(stack.urls[0]!, stack.tokens.viewer);
    expect(refused.status).toBe(429);
    const error = refused.body.errors[0];
    expect(error.extensions.code).toBe('RATE_LIMITED');
    expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(61);
    expect(Number(refused.retryAfter)).toBe(error.extensions.retryAfterSeconds);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('keeps serving every other caller while one has spent its budget', async () => {
    for (const token of [stack.tokens.operator, stack.tokens.admin, stack.tokens.stagingOperator]) {
      const result = await post(stack.urls[0]!, token);
      expect(result.status).toBe(200);
    }
    expect((await post(stack.urls[0]!, stack.tokens.viewer)).status).toBe(429);
  });

  it('logs the refusal with the caller name and never the token', () => {
    const text = stack.logs[0]!.text();
    expect(text).toContain('caller rate limit reached');
    expect(text).toContain('viewer-key');
    expect(text).not.toContain(stack.tokens.viewer);
  });
});

describe('per-caller rate limit across gateways sharing Redis', () => {
  let redis: TestRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ configure: limited(6), redisUrl: redis.url });
    await stack.addGateway();
  });
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  it('counts one budget per caller for the whole fleet', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(stack.urls[i % 2]!, stack.tokens.operator)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);
    expect((await post(stack.urls[1]!, stack.tokens.viewer)).status).toBe(200);
  });
});
