import { describe, expect, it, vi } from 'vitest';
import { freshPrefix, useStoreKinds } from './stores.ts';

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
    await store.set(key, 'soon gone', 30);
    await store.set(`${key}:long`, 'kept', 60_000);
    expect(await store.get(key)).toBe('soon gone');
    await vi.waitFor(async () => expect(await store.get(key)).toBeNull(), { timeout: 2_000, interval: 10 });
    expect(await store.get(`${key}:long`)).toBe('kept');
  });

  it('deletes by prefix only the keys under it, taking glob characters literally', async () => {
    const store = await kind.open();
    const prefix = `${freshPrefix()}dep*[1]:`;
    const keys = Array.from({ length: 30 }, (_, index) => `${prefix}${index}`);
    await Promise.all(keys.map((key) => store.set(key, 'x', 60_000)));
    const lookalike = `${prefix.replace('*[1]', 'X[1]')}0`;
    const sibling = `${prefix.slice(0, -1)}2:0`;
    await store.set(lookalike, 'keep', 60_000);
    await store.set(sibling, 'keep', 60_000);
    await store.delPrefix(prefix);
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys.map(() => null));
    expect(await store.get(lookalike)).toBe('keep');
    expect(await store.get(sibling)).toBe('keep');
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
