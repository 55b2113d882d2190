import type { Logger } from 'pino';
import { CallerGoneError } from '../context.ts';
import { DeadlineExceededError } from '../resilience/deadline.ts';
import { type Store, StoreUnavailableError } from './store.ts';

export interface FailoverStoreOptions {
  /** The shared store (Redis). */
  primary: Store;
  /** This replica's own store (memory), used while the primary is down. */
  fallback: Store;
  /**
   * The most replicas the fleet runs (`cache.maxReplicas`): while the primary is down each replica spends
   * at most `floor(limit / maxReplicas)` of a quota on its own, so the whole fleet stays within the quota
   * even if every replica loses Redis at once. That may be 0 for small quotas: those calls are then refused
   * (reads serve stale data). Endpoints that must not run on a local count ask for `requireShared` and are
   * refused instead.
   * @default 4
   */
  maxReplicas?: number;
  /**
   * After a failed command, calls go straight to the fallback for this long before the primary is tried
   * again, so a hung Redis costs one command timeout per interval rather than one per call.
   * @default 1000
   */
  retryPrimaryAfterMs?: number;
  /** @default Date.now */
  now?: () => number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface FailoverStore extends Store {
  /** True while calls are served by the fallback (primary not connected, or failed within the retry interval). */
  degraded(): boolean;
}

/** One replica's budget for an endpoint while the shared store is down; see `maxReplicas`. */
export function fallbackLimit(limit: number, maxReplicas: number): number {
  return Math.floor(limit / Math.max(1, maxReplicas));
}

/**
 * Sends every call to the primary while it is usable and to the fallback otherwise. Cache writes, deletes
 * and counted quota calls are mirrored into the fallback, so that after a failover this replica still has
 * stale values to serve and still knows the calls it made in the current window; calls counted only in
 * the fallback are added to the primary's window once it is back (on that endpoint's next call).
 * The mirror is not told of other replicas' invalidations: after a failover it may serve a value they
 * already replaced, for at most that entry's TTL.
 */
export function createFailoverStore(options: FailoverStoreOptions): FailoverStore {
  const { primary, fallback, logger } = options;
  const maxReplicas = options.maxReplicas ?? 4;
  const retryAfterMs = options.retryPrimaryAfterMs ?? 1000;
  const now = options.now ?? Date.now;
  let failedAt: number | null = null;

  const usable = () => primary.isReady() && (failedAt === null || now() - failedAt >= retryAfterMs);

  const onFailure = (operation: string, error: unknown) => {
    if (failedAt === null) {
      logger?.warn(
        { err: error, operation },
        'Shared store failed; serving from this replica until it recovers',
      );
    }
    failedAt = now();
  };
  const onSuccess = () => {
    if (failedAt !== null) logger?.info('Shared store recovered');
    failedAt = null;
  };

  async function attempt<T>(operation: string, onPrimary: () => Promise<T>, onFallback: () => Promise<T>) {
    if (!usable()) return onFallback();
    try {
      const result = await onPrimary();
      onSuccess();
      return result;
    } catch (error) {
      // The request's budget ended or its caller left: Redis did nothing wrong, and nobody waits for a fallback.
      if (error instanceof DeadlineExceededError || error instanceof CallerGoneError) throw error;
      onFailure(operation, error);
      return onFallback();
    }
  }

  /** Runs on the primary and mirrors into the fallback, whichever way the primary goes. */
  async function both(operation: string, run: (store: Store) => Promise<void>) {
    await run(fallback);
    await attempt(
      operation,
      () => run(primary),
      async () => undefined,
    );
  }

  /** Calls counted only here while the primary was down, to be added to the shared window once it is back. */
  const unsynced = new Map<string, number[]>();

  async function takeLocally(key: string, limit: number, windowMs: number, at: number) {
    const decision = await fallback.takeQuota(key, fallbackLimit(limit, maxReplicas), windowMs, at);
    if (decision.allowed) unsynced.set(key, [...(unsynced.get(key) ?? []), at]);
    return decision;
  }

  async function replay(key: string, windowMs: number, at: number) {
    const pending = unsynced.get(key) ?? [];
    unsynced.delete(key);
    for (const [index, calledAt] of pending.entries()) {
      try {
        if (calledAt > at - windowMs)
          await primary.takeQuota(key, Number.MAX_SAFE_INTEGER, windowMs, calledAt);
      } catch (error) {
        unsynced.set(key, [...pending.slice(index), ...(unsynced.get(key) ?? [])]);
        throw error;
      }
    }
  }

  async function takeShared(key: string, limit: number, windowMs: number, at: number) {
    await replay(key, windowMs, at);
    const decision = await primary.takeQuota(key, limit, windowMs, at);
    // Recorded here without a limit too, so this replica knows its own calls if it must fail over.
    if (decision.allowed) await fallback.takeQuota(key, Number.MAX_SAFE_INTEGER, windowMs, at);
    return decision;
  }

  function refuse(operation: string): never {
    throw new StoreUnavailableError(`Shared store unavailable for ${operation}; refusing to count locally`);
  }

  return {
    kind: primary.kind,
    degraded: () => !usable(),
    get: (key) =>
      attempt(
        'get',
        () => primary.get(key),
        () => fallback.get(key),
      ),
    set: (key, value, ttlMs) => both('set', (store) => store.set(key, value, ttlMs)),
    del: (...keys) => both('del', (store) => store.del(...keys)),
    getInScope: (versionKey, key) =>
      attempt(
        'getInScope',
        () => primary.getInScope(versionKey, key),
        () => fallback.getInScope(versionKey, key),
      ),
    bumpScope: (versionKey) => both('bumpScope', (store) => store.bumpScope(versionKey)),
    setIfAbsent: (key, value, ttlMs) =>
      attempt(
        'setIfAbsent',
        () => primary.setIfAbsent(key, value, ttlMs),
        () => fallback.setIfAbsent(key, value, ttlMs),
      ),
    delIfEquals: (key, value) =>
      attempt(
        'delIfEquals',
        () => primary.delIfEquals(key, value),
        () => fallback.delIfEquals(key, value),
      ),
    takeQuota(key, limit, windowMs, at, takeOptions) {
      const local = takeOptions?.requireShared
        ? async () => refuse('takeQuota')
        : () => takeLocally(key, limit, windowMs, at);
      return attempt('takeQuota', () => takeShared(key, limit, windowMs, at), local);
    },
    peekQuota: (key, limit, windowMs, at) =>
      attempt(
        'peekQuota',
        () => primary.peekQuota(key, limit, windowMs, at),
        () => fallback.peekQuota(key, fallbackLimit(limit, maxReplicas), windowMs, at),
      ),
    /** True while calls go to the shared store: what /readyz and fail-closed quotas look at. */
    isReady: usable,
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
