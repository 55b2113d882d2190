import type { Logger } from 'pino';
import { type Store, StoreUnavailableError } from './store.ts';

export interface FailoverStoreOptions {
  /** The shared store (Redis). */
  primary: Store;
  /** This replica's own store (memory), used while the primary is down. */
  fallback: Store;
  /**
   * Share of each quota this replica may spend on its own while the primary is down: `floor(limit * share)`,
   * but at least 1 when the limit is at least 1, so reads degrade instead of stopping. Endpoints that must
   * not run on a local count ask for `requireShared` and are refused instead.
   * @default 0.25
   */
  fallbackQuotaShare?: number;
  /**
   * After a failed command, calls go straight to the fallback for this long before the primary is tried
   * again, so a hung Redis costs one command timeout per interval rather than one per call.
   * @default 1000
   */
  retryPrimaryAfterMs?: number;
  now?: () => number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface FailoverStore extends Store {
  /** True while calls are served by the fallback (primary not connected, or failed within the retry interval). */
  degraded(): boolean;
}

/** The fallback's budget for one endpoint; see `fallbackQuotaShare`. */
export function fallbackLimit(limit: number, share: number): number {
  if (limit < 1) return 0;
  return Math.max(1, Math.floor(limit * share));
}

/**
 * Sends every call to the primary while it is usable and to the fallback otherwise. Cache writes, deletes
 * and counted quota calls are mirrored into the fallback, so that after a failover this replica still has
 * stale values to serve and still knows the calls it made in the current window. The mirror is not told
 * of other replicas' invalidations: after a failover it may serve a value they already replaced, for at
 * most that entry's TTL.
 */
export function createFailoverStore(options: FailoverStoreOptions): FailoverStore {
  const { primary, fallback, logger } = options;
  const share = options.fallbackQuotaShare ?? 0.25;
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
    delPrefix: (prefix) => both('delPrefix', (store) => store.delPrefix(prefix)),
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
      const shared = async () => {
        const decision = await primary.takeQuota(key, limit, windowMs, at);
        // Record this replica's call locally without limiting it, for the budget it has after a failover.
        if (decision.allowed) await fallback.takeQuota(key, Number.MAX_SAFE_INTEGER, windowMs, at);
        return decision;
      };
      const local = takeOptions?.requireShared
        ? async () => refuse('takeQuota')
        : () => fallback.takeQuota(key, fallbackLimit(limit, share), windowMs, at);
      return attempt('takeQuota', shared, local);
    },
    peekQuota: (key, limit, windowMs, at) =>
      attempt(
        'peekQuota',
        () => primary.peekQuota(key, limit, windowMs, at),
        () => fallback.peekQuota(key, fallbackLimit(limit, share), windowMs, at),
      ),
    /** True while calls go to the shared store: what /readyz and fail-closed quotas look at. */
    isReady: usable,
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
