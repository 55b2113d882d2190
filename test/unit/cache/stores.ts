import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, vi } from 'vitest';
import { createFailoverStore } from '../../../src/store/failover.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/store.ts';
import {
  startTopology,
  type TestTopology,
  TOPOLOGIES,
  type TopologyName,
} from '../../helpers/redis-topologies.ts';

/** One row of the table every cache behaviour runs against. */
export interface StoreKind {
  name: string;
  open(): Promise<Store>;
  /** Two stores that share state, as two replicas do (memory: the same store twice). */
  openPair(): Promise<[Store, Store]>;
}

/** A fresh key namespace per test, so tests never see each other's keys in the shared Redis. */
export const freshPrefix = () => `test:${randomUUID()}:`;

/** A key prefix that is also a hash tag, for calls whose keys must share one Cluster slot. */
export const freshScope = () => `{test:${randomUUID()}}`;

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
 * Starts one Redis of each topology for the test file and returns the table of stores: memory, Redis
 * standalone, Cluster and Sentinel, and the failover store over a healthy Redis. Every store opened is
 * closed after the file.
 */
export function useStoreKinds(): { kinds: StoreKind[] } {
  const topologies = new Map<TopologyName, TestTopology>();
  const opened: Store[] = [];
  beforeAll(async () => {
    for (const name of TOPOLOGIES) topologies.set(name, await startTopology(name));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await Promise.all([...topologies.values()].map((topology) => topology.stop()));
  });
  const track = (store: Store) => {
    opened.push(store);
    return untilReady(store);
  };
  const topologyOf = (name: TopologyName) => {
    const found = topologies.get(name);
    if (!found) throw new Error(`Redis ${name} not started`);
    return found.topology;
  };
  // A generous command timeout: these tests are about behaviour, not about a slow Redis (failover.test.ts is).
  const redisStore = (name: TopologyName) => () =>
    track(createRedisStore({ topology: topologyOf(name), commandTimeoutMs: 5_000 }));
  const failoverStore = () =>
    track(
      createFailoverStore({
        primary: createRedisStore({ topology: topologyOf('standalone') }),
        fallback: createMemoryStore(),
      }),
    );
  const pairOf = (open: () => Promise<Store>) => async (): Promise<[Store, Store]> => [
    await open(),
    await open(),
  ];
  const kinds: StoreKind[] = [
    {
      name: 'memory',
      open: () => track(createMemoryStore()),
      openPair: async () => {
        const store = await track(createMemoryStore());
        return [store, store];
      },
    },
    ...TOPOLOGIES.map((name) => ({
      name: `redis ${name}`,
      open: redisStore(name),
      openPair: pairOf(redisStore(name)),
    })),
    { name: 'failover over a healthy redis', open: failoverStore, openPair: pairOf(failoverStore) },
  ];
  return { kinds };
}
