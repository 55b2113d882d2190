import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, vi } from 'vitest';
import { createFailoverStore } from '../../../src/store/failover.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/store.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';

/** One row of the table every cache behaviour runs against. */
export interface StoreKind {
  name: string;
  open(): Promise<Store>;
  /** Two stores that share state, as two replicas do (memory: the same store twice). */
  openPair(): Promise<[Store, Store]>;
}

/** A fresh key namespace per test, so tests never see each other's keys in the shared Redis. */
export const freshPrefix = () => `test:${randomUUID()}:`;

export async function untilReady(store: Store): Promise<Store> {
  await vi.waitFor(
    () => {
      if (!store.isReady()) throw new Error(`${store.kind} store not ready`);
    },
    { timeout: 5_000, interval: 10 },
  );
  return store;
}

/**
 * Starts one Redis for the test file and returns the table of stores: memory, Redis, and the failover
 * store over a healthy Redis. Every store opened is closed after the file.
 */
export function useStoreKinds(): { kinds: StoreKind[]; redis: () => TestRedis } {
  let redis: TestRedis | undefined;
  const opened: Store[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await redis?.stop();
  });
  const track = (store: Store) => {
    opened.push(store);
    return untilReady(store);
  };
  const url = () => {
    if (!redis) throw new Error('Redis not started');
    return redis.url;
  };
  const redisStore = () => track(createRedisStore({ url: url() }));
  const failoverStore = () =>
    track(createFailoverStore({ primary: createRedisStore({ url: url() }), fallback: createMemoryStore() }));
  const kinds: StoreKind[] = [
    {
      name: 'memory',
      open: () => track(createMemoryStore()),
      openPair: async () => {
        const store = await track(createMemoryStore());
        return [store, store];
      },
    },
    { name: 'redis', open: redisStore, openPair: async () => [await redisStore(), await redisStore()] },
    {
      name: 'failover over a healthy redis',
      open: failoverStore,
      openPair: async () => [await failoverStore(), await failoverStore()],
    },
  ];
  return {
    kinds,
    redis: () => {
      if (!redis) throw new Error('Redis not started');
      return redis;
    },
  };
}
