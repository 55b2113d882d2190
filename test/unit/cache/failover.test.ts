import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { RateLimitedError } from '../../../src/errors.ts';
import { createFailoverStore } from '../../../src/store/failover.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { createQuotaGuard } from '../../../src/store/quotas.ts';
import { createReadThroughCache } from '../../../src/store/read-through.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/store.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { topologyOf } from '../../helpers/redis-topologies.ts';
import { freshPrefix, untilReady } from './stores.ts';

let redis: TestRedis;
const opened: Store[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis.stop();
});

const status = z.object({ status: z.string() });
const ttl = { ttlMs: 10_000, staleTtlMs: 60_000 };

/** One gateway replica's cache layer, wired as the server wires it when REDIS_URL is set. */
async function replica() {
  const primary = createRedisStore({
    topology: topologyOf(redis),
    commandTimeoutMs: 150,
    maxReconnectDelayMs: 50,
  });
  const store = createFailoverStore({ primary, fallback: createMemoryStore(), retryPrimaryAfterMs: 50 });
  opened.push(store);
  await untilReady(store);
  const keyPrefix = freshPrefix();
  const quotas = createQuotaGuard({
    store,
    keyPrefix,
    windowMarginMs: 0,
    quotas: {
      listDeployments: { limit: 8, windowSeconds: 60 },
      startDeployment: { limit: 5, windowSeconds: 60 },
    },
    failClosed: new Set(['startDeployment']),
  });
  const cache = createReadThroughCache({ store, keyPrefix });
  return { primary, store, quotas, cache, keyPrefix };
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

async function killRedis(store: { degraded(): boolean }) {
  await redis.kill();
  await vi.waitFor(() => expect(store.degraded()).toBe(true), { timeout: 2_000, interval: 5 });
}

async function restartRedis(store: { degraded(): boolean }) {
  await redis.restart();
  await vi.waitFor(() => expect(store.degraded()).toBe(false), { timeout: 5_000, interval: 10 });
}

describe('failover store with Redis down', () => {
  it('keeps serving reads from this replica, within 1/maxReplicas (default 4) of each budget', async () => {
    const { store, quotas, cache, keyPrefix } = await replica();
    const fetch = vi.fn(async () => ({ status: 'running' }));
    await cache.read('deployment:d1', { ...ttl, schema: status, fetch });
    await quotas.take('listDeployments');
    await killRedis(store);

    expect(store.isReady()).toBe(false);
    const cached = await cache.read('deployment:d1', { ...ttl, schema: status, fetch });
    expect(cached).toMatchObject({ value: { status: 'running' }, source: 'CACHE' });
    expect(await cache.read('deployment:d2', { ...ttl, schema: status, fetch })).toMatchObject({
      source: 'UPSTREAM',
    });
    expect(await cache.read('deployment:d2', { ...ttl, schema: status, fetch })).toMatchObject({
      source: 'CACHE',
    });
    expect(fetch).toHaveBeenCalledTimes(2);
    // floor(8 / 4 replicas) = 2 calls for this replica alone, one of which it made before Redis went away.
    await quotas.take('listDeployments');
    const spent = await refusal(quotas.take('listDeployments'));
    expect(spent.message).toMatch(/listDeployments/);
    expect((await quotas.snapshot())[0]).toMatchObject({
      endpoint: 'listDeployments',
      limit: 8,
      remaining: 0,
    });

    // Redis comes back empty; the call made during the outage joins the shared window with the next one.
    await restartRedis(store);
    await quotas.take('listDeployments');
    const otherReplica = await untilReady(createRedisStore({ topology: topologyOf(redis) }));
    opened.push(otherReplica);
    const shared = await otherReplica.peekQuota(`${keyPrefix}quota:listDeployments`, 8, 60_000, Date.now());
    expect(shared).toMatchObject({ used: 2, remaining: 6 });
  });

  it('refuses fail-closed endpoints with a clear error, and uses Redis again once it is back', async () => {
    const { primary, store, quotas, cache, keyPrefix } = await replica();
    await killRedis(store);
    const refused = await refusal(quotas.take('startDeployment'));
    expect(refused.message).toMatch(/quota store is unreachable.*startDeployment.*refused/);
    expect(refused.retryAfterSeconds).toBe(5);
    await expect(primary.get('any')).rejects.toThrow();

    await restartRedis(store);
    await quotas.take('startDeployment');
    await cache.write('deployment:d1', { status: 'starting' }, ttl);
    const otherReplica = await untilReady(createRedisStore({ topology: topologyOf(redis) }));
    opened.push(otherReplica);
    expect(
      await otherReplica.peekQuota(`${keyPrefix}quota:startDeployment`, 5, 60_000, Date.now()),
    ).toMatchObject({
      used: 1,
    });
    expect(JSON.parse((await otherReplica.get(`${keyPrefix}deployment:d1`)) ?? 'null')).toMatchObject({
      v: { status: 'starting' },
    });
  });

  it('does not wait on a hung Redis past the command timeout', async () => {
    const { primary, store, quotas, keyPrefix } = await replica();
    const key = `${keyPrefix}k`;
    await store.set(key, 'mirrored in memory', 60_000);
    const admin = new Redis(redis.url);
    try {
      await admin.set(key, 'only in redis');
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      // Had the call waited for Redis it would have answered 'only in redis' once the pause ended.
      expect(await store.get(key)).toBe('mirrored in memory');
      await expect(primary.get(key)).rejects.toThrow(/timed out/);
      expect((await refusal(quotas.take('startDeployment'))).message).toMatch(/unreachable/);
      await vi.waitFor(async () => expect(await primary.get(key)).toBe('only in redis'), { timeout: 3_000 });
    } finally {
      admin.disconnect();
    }
  });
});
