import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ExpectedError } from '../errors.ts';
import type { Store } from './store.ts';

export type ReadSource = 'UPSTREAM' | 'CACHE' | 'STALE';

export interface ReadResult<T> {
  value: T;
  source: ReadSource;
  /** Epoch ms at which the value was fetched from upstream (by any replica). */
  fetchedAt: number;
}

export interface ReadOptions<T> {
  /** Age below which a cached value is served as CACHE without asking upstream. */
  ttlMs: number;
  /** How long a value is kept (its physical TTL) to be served as STALE while refreshing or on errors. */
  staleTtlMs: number;
  /** Parses the cached JSON again on every read; an entry that fails it is a miss. */
  schema: z.ZodType<T>;
  fetch: () => Promise<T>;
  /**
   * Serve a stale value at once and refresh behind it; when false a stale value is refreshed first and
   * served only if the refresh fails.
   * @default true
   */
  refreshInBackground?: boolean;
}

export interface ReadThroughCacheOptions {
  store: Store;
  /** Namespace of every key, with a version so a format change never reads old entries: `gw:v1:`. */
  keyPrefix: string;
  /** @default 10_000 */
  lockTtlMs?: number;
  /** How long a replica waits for another one's fetch before fetching itself. @default 5_000 */
  lockWaitMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  /** @default Date.now */
  now?: () => number;
  /**
   * Raw bytes of decoded entries this process keeps for reuse (least recently decoded dropped first).
   * @default 16 MiB
   */
  decodedBytes?: number;
}

export interface ReadThroughCache {
  read<T>(key: string, options: ReadOptions<T>): Promise<ReadResult<T>>;
  /** Puts a value in at once, e.g. the new status after a start mutation. */
  write<T>(
    key: string,
    value: T,
    options: { ttlMs: number; staleTtlMs: number /** @default now */; fetchedAt?: number },
  ): Promise<void>;
  /** The cached value as it stands, fresh or not, without ever fetching (null when absent or unreadable). */
  peek<T>(key: string, schema: z.ZodType<T>): Promise<{ value: T; fetchedAt: number } | null>;
  invalidate(...keys: string[]): Promise<void>;
  invalidatePrefix(prefix: string): Promise<void>;
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

/** Entry schemas are built once per value schema: building one per read cost measurable CPU on hot paths. */
const entrySchemas = new WeakMap<z.ZodType, z.ZodType<{ v: unknown; t: number }>>();
function entrySchema<T>(schema: z.ZodType<T>): z.ZodType<{ v: T; t: number }> {
  let built = entrySchemas.get(schema);
  if (!built) {
    built = z.object({ v: schema, t: z.number() }) as z.ZodType<{ v: unknown; t: number }>;
    entrySchemas.set(schema, built);
  }
  return built as z.ZodType<{ v: T; t: number }>;
}

/**
 * Read-through cache with stale-while-revalidate and single flight: one fetch per key at a time in this
 * process (a shared promise) and across replicas (a lock in the store; the others poll for the value).
 * Values must survive JSON: the schema parses what JSON.parse gives back (e.g. dates as ISO strings).
 */
export function createReadThroughCache(options: ReadThroughCacheOptions): ReadThroughCache {
  const { store, keyPrefix, logger } = options;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const lockWaitMs = options.lockWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const inflight = new Map<string, Promise<ReadResult<unknown>>>();

  const fullKey = (key: string) => `${keyPrefix}${key}`;

  /**
   * The last decoded entry per key. The store stays the source of truth (every read still fetches the raw
   * string); only when it holds exactly the bytes decoded last time is that decoding reused, so the same
   * value object is handed out again and hot polling skips JSON.parse and zod.
   */
  const decoded = new Map<string, { raw: string; schema: z.ZodType; entry: Entry<unknown> }>();
  const decodedBudget = options.decodedBytes ?? 16 * 1024 * 1024;
  let decodedSize = 0;
  const forget = (key: string) => {
    const item = decoded.get(key);
    if (!item) return;
    decodedSize -= item.raw.length;
    decoded.delete(key);
  };
  const remember = (key: string, item: { raw: string; schema: z.ZodType; entry: Entry<unknown> }) => {
    forget(key);
    if (item.raw.length > decodedBudget) return;
    decoded.set(key, item);
    decodedSize += item.raw.length;
    while (decodedSize > decodedBudget) forget(decoded.keys().next().value as string);
  };
  const lockKey = (key: string) => `${keyPrefix}lock:${key}`;

  async function load<T>(key: string, schema: z.ZodType<T>): Promise<Entry<T> | null> {
    try {
      const raw = await store.get(fullKey(key));
      if (raw === null) return null;
      const seen = decoded.get(key);
      if (seen && seen.raw === raw && seen.schema === schema) return seen.entry as Entry<T>;
      const parsed = entrySchema(schema).safeParse(JSON.parse(raw));
      if (parsed.success) {
        const entry = { value: parsed.data.v as T, fetchedAt: parsed.data.t };
        remember(key, { raw, schema, entry });
        return entry;
      }
      logger?.warn({ key, issues: parsed.error.issues.length }, 'Cached entry failed its schema; refetching');
    } catch (error) {
      logger?.warn({ err: error, key }, 'Cached entry unreadable; refetching');
    }
    return null;
  }

  async function save<T>(key: string, entry: Entry<T>, ttl: { ttlMs: number; staleTtlMs: number }) {
    const json = JSON.stringify({ v: entry.value, t: entry.fetchedAt });
    await store.set(fullKey(key), json, Math.max(ttl.ttlMs, ttl.staleTtlMs));
  }

  const isFresh = (entry: Entry<unknown>, ttlMs: number) => now() - entry.fetchedAt < ttlMs;

  /**
   * Waits for another replica's fetch: a value fetched since `since` (or fresh), the lock gone, or the
   * wait over (null).
   */
  async function awaitOther<T>(
    key: string,
    opts: ReadOptions<T>,
    since: number,
    deadline: number,
  ): Promise<Entry<T> | 'free' | null> {
    for (let pause = 10; performance.now() < deadline; pause = Math.min(pause * 2, 100)) {
      await delay(Math.min(pause, Math.max(1, deadline - performance.now())));
      const entry = await load(key, opts.schema);
      if (entry && (entry.fetchedAt >= since || isFresh(entry, opts.ttlMs))) return entry;
      if ((await store.get(lockKey(key)).catch(() => null)) === null) return 'free';
    }
    return null;
  }

  async function fetchAndSave<T>(key: string, opts: ReadOptions<T>): Promise<ReadResult<T>> {
    const value = await opts.fetch();
    const entry = { value, fetchedAt: now() };
    // A value that could not be cached is still the right answer for this caller.
    await save(key, entry, opts).catch((error: unknown) =>
      logger?.warn({ err: error, key }, 'Could not cache value'),
    );
    return { ...entry, source: 'UPSTREAM' };
  }

  /** One fetch per key across replicas: take the lock and fetch, or wait for whoever holds it. */
  async function fetchSingle<T>(key: string, opts: ReadOptions<T>): Promise<ReadResult<T>> {
    // Waiting runs on the monotonic clock: the injected `now` only dates entries.
    const deadline = performance.now() + lockWaitMs;
    const since = now();
    while (performance.now() < deadline) {
      const token = randomUUID();
      if (await store.setIfAbsent(lockKey(key), token, lockTtlMs)) {
        try {
          return await fetchAndSave(key, opts);
        } finally {
          await store.delIfEquals(lockKey(key), token).catch(() => undefined);
        }
      }
      const outcome = await awaitOther(key, opts, since, deadline);
      if (outcome === null) break;
      if (outcome !== 'free') return { ...outcome, source: 'CACHE' };
    }
    logger?.warn({ key, lockWaitMs }, 'Waited too long for another replica to fetch; fetching here');
    return fetchAndSave(key, opts);
  }

  /** Coalesces identical concurrent reads of this process into one promise. */
  function coalesced<T>(key: string, opts: ReadOptions<T>): Promise<ReadResult<T>> {
    const running = inflight.get(key);
    if (running) return running as Promise<ReadResult<T>>;
    const started = (async () => {
      try {
        return await fetchSingle(key, opts);
      } finally {
        inflight.delete(key);
      }
    })();
    inflight.set(key, started);
    return started;
  }

  /**
   * An expected upstream outcome (spent quota, open circuit, timeout) is logged where its state changes (the
   * quota guard, the breaker, the HTTP client), so here it is one debug line, not a warning with a stack per read.
   */
  function staleServed(error: unknown, key: string) {
    if (error instanceof ExpectedError) logger?.debug({ key, code: error.code }, 'serving the stale value');
    else logger?.warn({ err: error, key }, 'Refresh failed; serving the stale value');
  }

  async function read<T>(key: string, opts: ReadOptions<T>): Promise<ReadResult<T>> {
    const entry = await load(key, opts.schema);
    if (entry && isFresh(entry, opts.ttlMs)) return { ...entry, source: 'CACHE' };
    if (entry && opts.refreshInBackground !== false) {
      coalesced(key, opts).catch((error: unknown) => staleServed(error, key));
      return { ...entry, source: 'STALE' };
    }
    try {
      return await coalesced(key, opts);
    } catch (error) {
      if (!entry) throw error;
      staleServed(error, key);
      return { ...entry, source: 'STALE' };
    }
  }

  return {
    read,
    write: (key, value, options) => save(key, { value, fetchedAt: options.fetchedAt ?? now() }, options),
    peek: (key, schema) => load(key, schema),
    invalidate: async (...keys) => store.del(...keys.map(fullKey)),
    invalidatePrefix: (prefix) => store.delPrefix(fullKey(prefix)),
  };
}
