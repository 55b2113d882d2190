import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { RateLimitedError } from '../../../src/errors.ts';
import { createReadThroughCache, type ReadThroughCacheOptions } from '../../../src/store/read-through.ts';
import type { Store } from '../../../src/store/store.ts';
import { freshPrefix, useStoreKinds } from './stores.ts';

const { kinds } = useStoreKinds();

const deploymentList = z.array(z.object({ id: z.string(), status: z.string() }));
type DeploymentList = z.infer<typeof deploymentList>;
const running: DeploymentList = [{ id: 'd1', status: 'running' }];
const stopped: DeploymentList = [{ id: 'd1', status: 'stopped' }];
const ttl = { ttlMs: 10_000, staleTtlMs: 60_000 };

function manualClock() {
  let at = Date.now();
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

/** A fetch that counts its calls and answers the given values in turn (the last one from then on). */
function upstream(...answers: Array<DeploymentList | Error>) {
  const fetch = vi.fn(async () => {
    const answer = answers[Math.min(fetch.mock.calls.length - 1, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return fetch;
}

function cacheOn(store: Store, extra: Partial<ReadThroughCacheOptions> = {}) {
  return createReadThroughCache({ store, keyPrefix: extra.keyPrefix ?? freshPrefix(), ...extra });
}

/**
 * 50 concurrent reads of one key, alternating between two replicas' caches over `pair`. The fetch is held
 * until a replica has found the lock taken, so the cross-replica path is what is tested.
 */
async function readOnTwoReplicas(
  pair: [Store, Store],
  options: { now?: () => number; afterSave?: () => void } = {},
) {
  let lockRefused: () => void = () => undefined;
  const otherReplicaWaiting = new Promise<void>((resolve) => {
    lockRefused = resolve;
  });
  const keyPrefix = freshPrefix();
  // Every lock attempt is held until all 50 reads have looked at the cache once. Until a lock attempt returns
  // nobody fetches and nobody polls, so the looks counted until then are exactly the 50 first looks; on a slow
  // store (a Cluster on a busy machine) a read that first looked after the save would find an entry the test's
  // clock has aged. (Counting gets while holding the fetch instead also counted the other replica's polls.)
  let looks = 0;
  let allLooked: () => void = () => undefined;
  const everyReadLooked = new Promise<void>((resolve) => {
    allLooked = resolve;
  });
  const watched = (store: Store): Store => ({
    ...store,
    get: async (key) => {
      const value = await store.get(key);
      if (key === `${keyPrefix}deployments` && ++looks >= 50) allLooked();
      return value;
    },
    setIfAbsent: async (key, value, ttlMs) => {
      await everyReadLooked;
      const acquired = await store.setIfAbsent(key, value, ttlMs);
      if (!acquired) lockRefused();
      return acquired;
    },
    set: async (key, value, ttlMs) => {
      await store.set(key, value, ttlMs);
      options.afterSave?.();
    },
  });
  const replicas = pair.map((store) => cacheOn(watched(store), { keyPrefix, now: options.now }));
  const fetch = vi.fn(async () => {
    // A second fetch means single flight failed: let both finish so the count assertion reports it.
    if (fetch.mock.calls.length > 1) lockRefused();
    await otherReplicaWaiting;
    return running;
  });
  const reads = Array.from({ length: 50 }, (_, index) =>
    replicas[index % 2]!.read('deployments', { ...ttl, schema: deploymentList, fetch }),
  );
  return { fetch, results: await Promise.all(reads) };
}

describe.each(kinds)('read-through cache on the $name store', (kind) => {
  it('fetches on a miss, then serves the cached copy while it is fresh', async () => {
    const clock = manualClock();
    const cache = cacheOn(await kind.open(), { now: clock.now });
    const fetch = upstream(running);
    const first = await cache.read('deployments', { ...ttl, schema: deploymentList, fetch });
    expect(first).toEqual({ value: running, source: 'UPSTREAM', fetchedAt: clock.now() });
    clock.advance(9_999);
    const second = await cache.read('deployments', { ...ttl, schema: deploymentList, fetch });
    expect(second).toEqual({ value: running, source: 'CACHE', fetchedAt: first.fetchedAt });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('serves a stale value at once and refreshes it in the background', async () => {
    const clock = manualClock();
    const cache = cacheOn(await kind.open(), { now: clock.now });
    const fetch = upstream(running, stopped);
    const options = { ...ttl, schema: deploymentList, fetch };
    await cache.read('deployments', options);
    clock.advance(10_000);
    expect(await cache.read('deployments', options)).toMatchObject({ value: running, source: 'STALE' });
    await vi.waitFor(async () => {
      expect(await cache.read('deployments', options)).toMatchObject({ value: stopped, source: 'CACHE' });
    });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('refreshes a stale value before answering when background refresh is off', async () => {
    const clock = manualClock();
    const cache = cacheOn(await kind.open(), { now: clock.now });
    const options = { ...ttl, schema: deploymentList, fetch: upstream(running, stopped) };
    await cache.read('deployments', options);
    clock.advance(20_000);
    const refreshed = await cache.read('deployments', { ...options, refreshInBackground: false });
    expect(refreshed).toEqual({ value: stopped, source: 'UPSTREAM', fetchedAt: clock.now() });
  });

  it('serves the stale value when the refresh fails or is rate limited', async () => {
    const clock = manualClock();
    const cache = cacheOn(await kind.open(), { now: clock.now });
    const quotaSpent = new RateLimitedError('listDeployments quota spent', 30);
    const options = { ...ttl, schema: deploymentList, fetch: upstream(running, quotaSpent) };
    const first = await cache.read('deployments', options);
    clock.advance(15_000);
    const stale = await cache.read('deployments', { ...options, refreshInBackground: false });
    expect(stale).toEqual({ value: running, source: 'STALE', fetchedAt: first.fetchedAt });
    // The same failure in a background refresh is logged, never an unhandled rejection.
    expect(await cache.read('deployments', options)).toMatchObject({ source: 'STALE' });
    await vi.waitFor(() => expect(options.fetch).toHaveBeenCalledTimes(3));
  });

  it('rethrows a failed fetch when there is nothing stale to serve', async () => {
    const cache = cacheOn(await kind.open());
    const fetch = upstream(new RateLimitedError('listDeployments quota spent', 30));
    const read = cache.read('deployments', { ...ttl, schema: deploymentList, fetch });
    await expect(read).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('parses cached entries again and treats a corrupted one as a miss', async () => {
    const store = await kind.open();
    const keyPrefix = freshPrefix();
    const cache = cacheOn(store, { keyPrefix });
    const fetch = upstream(running);
    await store.set(`${keyPrefix}wrong-shape`, JSON.stringify({ v: [{ id: 7 }], t: Date.now() }), 60_000);
    await store.set(`${keyPrefix}not-json`, '{"v": [', 60_000);
    for (const key of ['wrong-shape', 'not-json']) {
      const result = await cache.read(key, { ...ttl, schema: deploymentList, fetch });
      expect(result).toMatchObject({ value: running, source: 'UPSTREAM' });
    }
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('coalesces 50 concurrent reads of one key into one fetch', async () => {
    const cache = cacheOn(await kind.open());
    const fetch = upstream(running);
    const reads = Array.from({ length: 50 }, () =>
      cache.read('deployments', { ...ttl, schema: deploymentList, fetch }),
    );
    const results = await Promise.all(reads);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((result) => JSON.stringify(result.value)))).toEqual(
      new Set([JSON.stringify(running)]),
    );
  });

  it('fetches once in total for 50 concurrent reads on two replicas', async () => {
    const { fetch, results } = await readOnTwoReplicas(await kind.openPair());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(results.every((result) => JSON.stringify(result.value) === JSON.stringify(running))).toBe(true);
    expect(new Set(results.map((result) => result.source))).toEqual(new Set(['UPSTREAM', 'CACHE']));
  });

  it("hands waiters another replica's value even when it is older than the TTL by the time they look", async () => {
    const clock = manualClock();
    const { fetch, results } = await readOnTwoReplicas(await kind.openPair(), {
      now: clock.now,
      afterSave: () => clock.advance(ttl.ttlMs),
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(results.filter((result) => result.source === 'UPSTREAM')).toHaveLength(25);
  });

  it('regression: a waiter that finds the lock released just after the save does not fetch again', async () => {
    const [storeA, storeB] = await kind.openPair();
    const keyPrefix = freshPrefix();
    const lock = `${keyPrefix}lock:deployments`;
    let finishA: () => void = () => undefined;
    const fetchA = vi.fn(
      () =>
        new Promise<DeploymentList>((resolve) => {
          finishA = () => resolve(running);
        }),
    );
    const replicaA = cacheOn(storeA, { keyPrefix });
    const readA = replicaA.read('deployments', { ...ttl, schema: deploymentList, fetch: fetchA });
    await vi.waitFor(() => expect(fetchA).toHaveBeenCalled());
    // Replica B has just found no value; before it looks at the lock, A saves and releases it.
    const lateLook: Store = {
      ...storeB,
      get: async (key) => {
        if (key === lock) {
          finishA();
          await readA;
          await vi.waitFor(async () => expect(await storeA.get(lock)).toBeNull());
        }
        return storeB.get(key);
      },
    };
    const fetchB = upstream(stopped);
    const replicaB = cacheOn(lateLook, { keyPrefix });
    const readB = await replicaB.read('deployments', { ...ttl, schema: deploymentList, fetch: fetchB });
    expect(readB).toMatchObject({ value: running, source: 'CACHE' });
    expect(fetchB).not.toHaveBeenCalled();
  });

  it('fetches itself when the replica holding the lock never answers', async () => {
    const store = await kind.open();
    const keyPrefix = freshPrefix();
    await store.setIfAbsent(`${keyPrefix}lock:deployments`, 'a replica that died', 60_000);
    const cache = cacheOn(store, { keyPrefix, lockWaitMs: 100 });
    const fetch = upstream(running);
    const result = await cache.read('deployments', { ...ttl, schema: deploymentList, fetch });
    expect(result).toMatchObject({ value: running, source: 'UPSTREAM' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('serves written values and refetches invalidated ones', async () => {
    const cache = cacheOn(await kind.open());
    const fetch = upstream(running);
    const options = { ...ttl, schema: deploymentList, fetch };
    await cache.write('deployment:d1', stopped, ttl);
    expect(await cache.read('deployment:d1', options)).toMatchObject({ value: stopped, source: 'CACHE' });
    await cache.invalidate('deployment:d1');
    expect(await cache.read('deployment:d1', options)).toMatchObject({ value: running, source: 'UPSTREAM' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('invalidates a whole scope for every replica at once, and only that scope', async () => {
    const [storeA, storeB] = await kind.openPair();
    const keyPrefix = freshPrefix();
    const [replicaA, replicaB] = [cacheOn(storeA, { keyPrefix }), cacheOn(storeB, { keyPrefix })];
    const fetch = upstream(running);
    const options = { ...ttl, schema: deploymentList, fetch };
    const pages = ['{broker:d1:clients}/clients?page=1', '{broker:d1:clients}/clients?page=2'];
    const other = '{broker:d1:rules}/rules';
    for (const key of [...pages, other]) await replicaA.write(key, stopped, ttl);
    for (const key of [...pages, other])
      expect(await replicaB.read(key, options)).toMatchObject({ value: stopped, source: 'CACHE' });

    await replicaB.invalidateScope('broker:d1:clients');
    for (const key of pages)
      expect(await replicaA.read(key, options)).toMatchObject({ value: running, source: 'UPSTREAM' });
    expect(await replicaA.read(other, options)).toMatchObject({ value: stopped, source: 'CACHE' });
    expect(await replicaB.read(pages[0]!, options)).toMatchObject({ value: running, source: 'CACHE' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('never serves as current a value fetched while its scope was invalidated', async () => {
    const [storeA, storeB] = await kind.openPair();
    const keyPrefix = freshPrefix();
    const [replicaA, replicaB] = [cacheOn(storeA, { keyPrefix }), cacheOn(storeB, { keyPrefix })];
    const key = '{broker:d2:clients}/clients';
    let release: () => void = () => undefined;
    const slow = vi.fn(async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return stopped;
    });
    const reading = replicaA.read(key, { ...ttl, schema: deploymentList, fetch: slow });
    await vi.waitFor(() => expect(slow).toHaveBeenCalled());
    await replicaB.invalidateScope('broker:d2:clients');
    release();
    expect(await reading).toMatchObject({ value: stopped, source: 'UPSTREAM' });
    const fetch = upstream(running);
    expect(await replicaB.read(key, { ...ttl, schema: deploymentList, fetch })).toMatchObject({
      value: running,
      source: 'UPSTREAM',
    });
  });
});
