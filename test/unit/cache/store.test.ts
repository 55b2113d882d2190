import { describe, expect, it, vi } from 'vitest';
import { freshPrefix, freshScope, useStoreKinds } from './stores.ts';

const { kinds } = useStoreKinds();

describe.each(kinds)('$name store', (kind) => {
  it('sets, gets and deletes values; a missing key is null', async () => {
    const store = await kind.open();
    const key = `${freshPrefix()}a`;
    expect(await store.get(key)).toBeNull();
    await store.set(key, 'one', 60_000);
    expect(await store.get(key)).toBe('one');
    await store.del(key);
    expect(await store.get(key)).toBeNull();
  });

  it('forgets a value once its TTL has passed', async () => {
    const store = await kind.open();
    const key = `${freshPrefix()}short`;
    // Long enough to be read back on a loaded machine, short enough to watch expire.
    await store.set(key, 'soon gone', 500);
    await store.set(`${key}:long`, 'kept', 60_000);
    expect(await store.get(key)).toBe('soon gone');
    await vi.waitFor(async () => expect(await store.get(key)).toBeNull(), { timeout: 2_000, interval: 10 });
    expect(await store.get(`${key}:long`)).toBe('kept');
  });

  it('deletes several keys in one call, wherever they live (regression: CROSSSLOT on a Cluster)', async () => {
    const store = await kind.open();
    const keys = Array.from({ length: 12 }, (_, index) => `${freshPrefix()}${index}`);
    await Promise.all(keys.map((key) => store.set(key, 'x', 60_000)));
    await store.del(...keys);
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys.map(() => null));
  });

  it('reads a value with its scope version; a bump gives every replica a new version', async () => {
    const [replicaA, replicaB] = await kind.openPair();
    const scope = freshScope();
    const [versionKey, key] = [`version:${scope}`, `${scope}/clients?page=1`];
    expect(await replicaA.getInScope(versionKey, key)).toEqual({ version: '', value: null });
    await replicaA.set(key, 'page one', 60_000);
    expect(await replicaB.getInScope(versionKey, key)).toEqual({ version: '', value: 'page one' });
    await replicaA.bumpScope(versionKey);
    const first = await replicaB.getInScope(versionKey, key);
    expect(first).toMatchObject({ value: 'page one' });
    expect(first.version).not.toBe('');
    await replicaB.bumpScope(versionKey);
    const second = await replicaA.getInScope(versionKey, key);
    expect(second.version).not.toBe(first.version);
    expect(second.version).not.toBe('');
  });

  it('takes a lock once and releases it only with its own token', async () => {
    const [replicaA, replicaB] = await kind.openPair();
    const lock = `${freshPrefix()}lock`;
    expect(await replicaA.setIfAbsent(lock, 'token-a', 60_000)).toBe(true);
    expect(await replicaB.setIfAbsent(lock, 'token-b', 60_000)).toBe(false);
    await replicaB.delIfEquals(lock, 'token-b');
    expect(await replicaB.get(lock)).toBe('token-a');
    await replicaA.delIfEquals(lock, 'token-a');
    expect(await replicaB.setIfAbsent(lock, 'token-b', 60_000)).toBe(true);
  });

  it('allows N calls in a sliding window, refuses the next with the time until a slot frees', async () => {
    const store = await kind.open();
    const key = `${freshPrefix()}quota`;
    const t0 = Date.now();
    const take = (at: number) => store.takeQuota(key, 3, 60_000, at);
    expect(await take(t0)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0, resetsAt: t0 + 60_000 });
    expect((await take(t0 + 100)).remaining).toBe(1);
    expect((await take(t0 + 200)).remaining).toBe(0);
    expect(await take(t0 + 300)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 59_700,
      resetsAt: t0 + 60_000,
    });
    // The call at t0 leaves the window (now - window, now] exactly one window later.
    expect(await take(t0 + 60_000)).toMatchObject({ allowed: true, remaining: 0, resetsAt: t0 + 60_100 });
    expect(await take(t0 + 60_050)).toMatchObject({ allowed: false, retryAfterMs: 50 });
  });

  it('reads the window without counting', async () => {
    const store = await kind.open();
    const key = `${freshPrefix()}quota`;
    const t0 = Date.now();
    expect(await store.peekQuota(key, 2, 10_000, t0)).toEqual({ used: 0, remaining: 2, resetsAt: null });
    await store.takeQuota(key, 2, 10_000, t0);
    const peek = { used: 1, remaining: 1, resetsAt: t0 + 10_000 };
    expect(await store.peekQuota(key, 2, 10_000, t0 + 1)).toEqual(peek);
    expect(await store.peekQuota(key, 2, 10_000, t0 + 1)).toEqual(peek);
    expect(await store.peekQuota(key, 2, 10_000, t0 + 10_000)).toEqual({
      used: 0,
      remaining: 2,
      resetsAt: null,
    });
  });

  it('counts concurrent calls from two replicas atomically: exactly the limit is allowed', async () => {
    const [replicaA, replicaB] = await kind.openPair();
    const key = `${freshPrefix()}quota`;
    const t0 = Date.now();
    const calls = Array.from({ length: 40 }, (_, index) =>
      (index % 2 ? replicaA : replicaB).takeQuota(key, 5, 60_000, t0 + index),
    );
    const decisions = await Promise.all(calls);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
  });
});
