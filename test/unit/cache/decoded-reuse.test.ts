import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { createReadThroughCache } from '../../../src/store/read-through.ts';

const schema = z.object({ items: z.array(z.number()) });
const options = (fetch: () => Promise<{ items: number[] }>) => ({
  ttlMs: 60_000,
  staleTtlMs: 60_000,
  schema,
  fetch,
});

describe('reuse of a decoded cache entry', () => {
  it('hands out the same value while the store holds the same bytes, and a new one when they change', async () => {
    const store = createMemoryStore();
    const replicaA = createReadThroughCache({ store, keyPrefix: 't:' });
    const replicaB = createReadThroughCache({ store, keyPrefix: 't:' });
    await replicaA.read(
      'k',
      options(async () => ({ items: [1] })),
    );
    const first = await replicaA.read(
      'k',
      options(async () => ({ items: [9] })),
    );
    const again = await replicaA.read(
      'k',
      options(async () => ({ items: [9] })),
    );
    expect(again.value).toBe(first.value);
    expect(again.source).toBe('CACHE');

    // Another replica replaces the entry: the next read sees the new bytes at once.
    await replicaB.write('k', { items: [2] }, { ttlMs: 60_000, staleTtlMs: 60_000 });
    const replaced = await replicaA.read(
      'k',
      options(async () => ({ items: [9] })),
    );
    expect(replaced.value).toEqual({ items: [2] });
    expect(replaced.value).not.toBe(first.value);

    // An invalidation is seen too: the store, not the reuse, decides what exists.
    await replicaB.invalidate('k');
    const refetched = await replicaA.read(
      'k',
      options(async () => ({ items: [3] })),
    );
    expect(refetched).toMatchObject({ value: { items: [3] }, source: 'UPSTREAM' });
  });

  it('keeps no more than its byte budget', async () => {
    const store = createMemoryStore();
    const cache = createReadThroughCache({ store, keyPrefix: 't:', decodedBytes: 64 });
    const big = { items: Array.from({ length: 40 }, (_, i) => i) };
    await cache.read(
      'big',
      options(async () => big),
    );
    const a = await cache.read(
      'big',
      options(async () => big),
    );
    const b = await cache.read(
      'big',
      options(async () => big),
    );
    expect(b.value).toEqual(a.value);
    expect(b.value).not.toBe(a.value);
  });
});
