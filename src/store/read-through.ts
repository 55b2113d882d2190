import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CallerGoneError } from '../context.ts';
import { ExpectedError } from '../errors.ts';
import { assertBudgetLeft, currentBudget, DeadlineExceededError, pause } from '../resilience/deadline.ts';
import { type SharedWork, startSharedWork } from '../resilience/shared-work.ts';
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
  /** Lock lifetime for fetches outside a request; inside one, the request budget plus a second. @default 10_000 */
  lockTtlMs?: number;
  /**
   * How long a replica waits for another one's fetch before fetching itself; inside a request at most a quarter
   * of its budget, so that its own fetch still has time. @default 5_000
   */
  lockWaitMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  /** @default Date.now */
  now?: () => number;
  /**
   * Raw bytes of decoded entries this process keeps for reuse (least recently decoded dropped first).
   * @default 16 MiB
   */
  decodedBytes?: number;
  /**
   * Longest time one read of the fleet's cache epoch may validate this process's entries (see `begin`).
   * @default 250
   */
  epochReuseMs?: number;
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
  /**
   * Makes every key of `scope` (keys written `{scope}…`) a miss on every replica, in one single-key write:
   * the scope gets a new version and entries written under an older one are ignored.
   */
  invalidateScope(scope: string): Promise<void>;
  /**
   * Marks the start of a GraphQL operation. Reads from now on validate this process's decoded entries with a
   * read of the fleet's cache epoch issued after this call (see `currentEpoch`), so an operation sees every
   * write and invalidation that completed, on any replica, before it began.
   */
  begin(): void;
}

/**
 * A decoded entry this process keeps: `epoch` is the fleet's cache epoch under which it was last seen to be the
 * current value of its key (its scope's version matched); while the epoch is unchanged and the entry is fresh,
 * it is served without asking the store.
 */
interface Decoded {
  raw: string;
  schema: z.ZodType;
  entry: Entry<unknown>;
  epoch?: string | undefined;
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
  /** The scope version the value was fetched under ('' for unscoped keys and never-bumped scopes). */
  version: string;
}

/** An entry as read, with the version of its scope at the time of the read ('' for unscoped keys). */
interface Loaded<T> {
  entry: Entry<T> | null;
  version: string;
}

/** Entry schemas are built once per value schema: building one per read cost measurable CPU on hot paths. */
type Stored<T> = { v: T; t: number; g?: string | undefined };
const entrySchemas = new WeakMap<z.ZodType, z.ZodType<Stored<unknown>>>();
function entrySchema<T>(schema: z.ZodType<T>): z.ZodType<Stored<T>> {
  let built = entrySchemas.get(schema);
  if (!built) {
    built = z.object({ v: schema, t: z.number(), g: z.string().optional() }) as z.ZodType<Stored<unknown>>;
    entrySchemas.set(schema, built);
  }
  return built as z.ZodType<Stored<T>>;
}

const EPOCH_TTL_MS = 30 * 24 * 3600 * 1000;
/** The request's budget ended or its caller left: not a store failure, so nothing falls back or retries. */
const isAbort = (error: unknown) =>
  error instanceof DeadlineExceededError || error instanceof CallerGoneError;

/** `{scope}rest` → `scope`; a key without a leading hash tag has no scope. */
const result = <T>(entry: Entry<T>, source: ReadSource): ReadResult<T> => ({
  value: entry.value,
  fetchedAt: entry.fetchedAt,
  source,
});

const scopeOf = (key: string): string | null => {
  const end = key.startsWith('{') ? key.indexOf('}') : -1;
  return end > 1 ? key.slice(1, end) : null;
};

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
  const inflight = new Map<string, SharedWork<ReadResult<unknown>>>();

  const fullKey = (key: string) => `${keyPrefix}${key}`;
  /** Shares the scope's hash tag, so it lives in the slot of the keys it versions. */
  const versionKey = (scope: string) => `${keyPrefix}version:{${scope}}`;

  /**
   * The last decoded entry per key. The store stays the source of truth (every read still fetches the raw
   * string); only when it holds exactly the bytes decoded last time is that decoding reused, so the same
   * value object is handed out again and hot polling skips JSON.parse and zod.
   */
  const decoded = new Map<string, Decoded>();
  const decodedBudget = options.decodedBytes ?? 16 * 1024 * 1024;
  let decodedSize = 0;
  const forget = (key: string) => {
    const item = decoded.get(key);
    if (!item) return;
    decodedSize -= item.raw.length;
    decoded.delete(key);
  };
  const remember = (key: string, item: Decoded) => {
    forget(key);
    if (item.raw.length > decodedBudget) return;
    decoded.set(key, item);
    decodedSize += item.raw.length;
    while (decodedSize > decodedBudget) forget(decoded.keys().next().value as string);
  };
  const lockKey = (key: string) => `${keyPrefix}lock:${key}`;

  /**
   * The in-process layer (L1). Every write, delete or scope bump, on any replica, gives the fleet a new cache
   * epoch (one key) after it is done. An entry stamped with the current epoch is still the current value of
   * its key, so a warm operation validates all its reads with one read of the epoch instead of one store read
   * per key. That read is shared by the reads of every operation that began before it was issued (`begin`
   * moves the generation on; a local write does too), so no operation uses an epoch read from before it began,
   * and a process makes at most one epoch read per operation. An epoch read is reused for at most
   * `epochReuseMs`, and not at all before the first operation or after a local write: a program that never
   * calls `begin` validates every read.
   */
  const epochKey = `${keyPrefix}epoch`;
  const epochReuseMs = options.epochReuseMs ?? 250;
  let generation = 0;
  /** The generation the latest `begin` started; reads share an epoch read only within an operation's. */
  let operationGeneration = -1;
  let snapshot: { generation: number; at: number; epoch: Promise<string | null> } | null = null;
  function currentEpoch(): Promise<string | null> {
    const at = performance.now();
    const shared = snapshot?.generation === generation && generation === operationGeneration;
    if (shared && snapshot && at - snapshot.at < epochReuseMs) return snapshot.epoch;
    const epoch = store.get(epochKey).then(
      (value) => value ?? '',
      () => null,
    );
    snapshot = { generation, at, epoch };
    return epoch;
  }
  /** After a change is in the store: other replicas revalidate, and so do later reads here. */
  async function newEpoch() {
    generation++;
    // A plain value (one GET to read it); should it ever expire, the next epoch is '' — a change like any other.
    await store.set(epochKey, randomUUID(), EPOCH_TTL_MS);
    generation++;
  }
  function stamp(key: string, entry: Entry<unknown>, epoch: string | null) {
    if (epoch === null) return;
    const item = decoded.get(key);
    if (item && item.entry === entry) item.epoch = epoch;
  }

  /** The raw entry and its scope's version, in one store call. */
  async function readRaw(key: string): Promise<{ raw: string | null; version: string }> {
    const scope = scopeOf(key);
    if (scope === null) return { raw: await store.get(fullKey(key)), version: '' };
    const { value, version } = await store.getInScope(versionKey(scope), fullKey(key));
    return { raw: value, version };
  }

  function decode<T>(key: string, raw: string, schema: z.ZodType<T>): Entry<T> | null {
    const seen = decoded.get(key);
    if (seen && seen.raw === raw && seen.schema === schema) return seen.entry as Entry<T>;
    const parsed = entrySchema(schema).safeParse(JSON.parse(raw));
    if (!parsed.success) {
      logger?.warn({ key, issues: parsed.error.issues.length }, 'Cached entry failed its schema; refetching');
      return null;
    }
    const entry = { value: parsed.data.v as T, fetchedAt: parsed.data.t, version: parsed.data.g ?? '' };
    remember(key, { raw, schema, entry, epoch: undefined });
    return entry;
  }

  /** An entry written under an older version of its scope was invalidated: it reads as absent. */
  async function load<T>(key: string, schema: z.ZodType<T>): Promise<Loaded<T>> {
    try {
      const { raw, version } = await readRaw(key);
      const entry = raw === null ? null : decode(key, raw, schema);
      return { entry: entry?.version === version ? entry : null, version };
    } catch (error) {
      if (isAbort(error)) throw error;
      logger?.warn({ err: error, key }, 'Cached entry unreadable; refetching');
      return { entry: null, version: '' };
    }
  }

  async function save<T>(
    key: string,
    entry: Entry<T>,
    ttl: { ttlMs: number; staleTtlMs: number },
    schema?: z.ZodType<T>,
  ) {
    const stored: Stored<T> = { v: entry.value, t: entry.fetchedAt };
    if (entry.version) stored.g = entry.version;
    const raw = JSON.stringify(stored);
    await store.set(fullKey(key), raw, Math.max(ttl.ttlMs, ttl.staleTtlMs));
    // What this process just stored is what a read would decode from it.
    if (schema) remember(key, { raw, schema, entry: entry as Entry<unknown>, epoch: undefined });
  }

  const isFresh = (entry: Entry<unknown>, ttlMs: number) => now() - entry.fetchedAt < ttlMs;

  async function fetchedSince<T>(key: string, opts: ReadOptions<T>, since: number): Promise<Entry<T> | null> {
    const { entry } = await load(key, opts.schema);
    return entry && (entry.fetchedAt >= since || isFresh(entry, opts.ttlMs)) ? entry : null;
  }

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
    const signal = currentBudget()?.signal;
    for (let step = 10; performance.now() < deadline; step = Math.min(step * 2, 100)) {
      await pause(Math.min(step, Math.max(1, deadline - performance.now())), signal);
      const found = await fetchedSince(key, opts, since);
      if (found) return found;
      if ((await store.get(lockKey(key)).catch(() => null)) !== null) continue;
      // The holder may have saved and released between the two reads above: look once more before
      // taking the lock, or this replica fetches the same thing a second time.
      return (await fetchedSince(key, opts, since)) ?? 'free';
    }
    return null;
  }

  /**
   * Fetches and caches under `version`, the scope version read before the fetch: if the scope is bumped
   * meanwhile, the value is saved under the old version and so never served as current.
   */
  async function fetchAndSave<T>(
    key: string,
    opts: ReadOptions<T>,
    version: string,
    epoch: string | null,
  ): Promise<ReadResult<T>> {
    const value = await opts.fetch();
    const entry = { value, fetchedAt: now(), version };
    // A value that could not be cached is still the right answer for this caller.
    await save(key, entry, opts, opts.schema).then(
      // The epoch was read before `version`: if the scope was bumped since, the epoch has moved on too.
      () => stamp(key, entry, epoch),
      (error: unknown) => logger?.warn({ err: error, key }, 'Could not cache value'),
    );
    return result(entry, 'UPSTREAM');
  }

  /** One fetch per key across replicas: take the lock and fetch, or wait for whoever holds it. */
  async function fetchSingle<T>(
    key: string,
    opts: ReadOptions<T>,
    version: string,
    epoch: string | null,
  ): Promise<ReadResult<T>> {
    // Waiting runs on the monotonic clock: the injected `now` only dates entries.
    const budget = currentBudget();
    const waitMs = budget ? Math.min(lockWaitMs, budget.totalMs / 4, budget.remainingMs()) : lockWaitMs;
    const ttlMs = budget ? budget.totalMs + 1_000 : lockTtlMs;
    const deadline = performance.now() + waitMs;
    const since = now();
    while (performance.now() < deadline) {
      // A random token per attempt: only its owner releases the lock (compare-and-delete).
      const token = randomUUID();
      if (await store.setIfAbsent(lockKey(key), token, ttlMs)) {
        try {
          return await fetchAndSave(key, opts, version, epoch);
        } finally {
          await store.delIfEquals(lockKey(key), token).catch(() => undefined);
        }
      }
      const outcome = await awaitOther(key, opts, since, deadline);
      if (outcome === null) break;
      if (outcome !== 'free') return result(outcome, 'CACHE');
    }
    assertBudgetLeft(budget);
    logger?.debug({ key, waitMs }, 'Waited long enough for another replica to fetch; fetching here');
    return fetchAndSave(key, opts, version, epoch);
  }

  /**
   * Coalesces identical concurrent reads of this process into one fetch, which no single caller's budget or
   * disconnect cuts short (src/resilience/shared-work.ts). `join` waits within the caller's budget.
   */
  function coalesced<T>(
    key: string,
    opts: ReadOptions<T>,
    version: string,
    epoch: string | null,
  ): SharedWork<ReadResult<T>> {
    const running = inflight.get(key);
    if (running) return running as SharedWork<ReadResult<T>>;
    const work = startSharedWork(async () => {
      try {
        return await fetchSingle(key, opts, version, epoch);
      } finally {
        inflight.delete(key);
      }
    });
    inflight.set(key, work);
    return work;
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
    const epoch = await currentEpoch();
    const known = decoded.get(key);
    if (
      epoch !== null &&
      known?.epoch === epoch &&
      known.schema === opts.schema &&
      isFresh(known.entry, opts.ttlMs)
    )
      return result(known.entry as Entry<T>, 'CACHE');
    const { entry, version } = await load(key, opts.schema);
    if (entry) stamp(key, entry, epoch);
    if (entry && isFresh(entry, opts.ttlMs)) return result(entry, 'CACHE');
    if (entry && opts.refreshInBackground !== false) {
      coalesced(key, opts, version, epoch).done.catch((error: unknown) => staleServed(error, key));
      return result(entry, 'STALE');
    }
    assertBudgetLeft();
    try {
      return await coalesced(key, opts, version, epoch).join();
    } catch (error) {
      if (!entry || error instanceof CallerGoneError) throw error;
      staleServed(error, key);
      return result(entry, 'STALE');
    }
  }

  /** A write goes in under the scope's current version, so it is served until the next bump. */
  async function write<T>(key: string, value: T, options: Parameters<ReadThroughCache['write']>[2]) {
    const { version } = await readRaw(key);
    await save(key, { value, fetchedAt: options.fetchedAt ?? now(), version }, options);
    forget(key);
    await newEpoch();
  }

  return {
    read,
    write,
    peek: async (key, schema) => (await load(key, schema)).entry,
    invalidate: async (...keys) => {
      await store.del(...keys.map(fullKey));
      for (const key of keys) forget(key);
      await newEpoch();
    },
    invalidateScope: async (scope) => {
      await store.bumpScope(versionKey(scope));
      await newEpoch();
    },
    begin: () => {
      generation++;
      operationGeneration = generation;
    },
  };
}
