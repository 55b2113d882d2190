/**
 * The one interface behind every piece of shared state: cached upstream reads, single-flight locks and
 * fleet-wide quotas. RedisStore shares it across replicas; MemoryStore serves a single replica.
 * All keys passed in are full keys (callers add the version prefix); all TTLs are milliseconds.
 */
export interface QuotaDecision {
  allowed: boolean;
  /** Calls left in the current window after this decision. */
  remaining: number;
  /** When refused: milliseconds until a call would be allowed again. */
  retryAfterMs: number;
  /** Epoch ms at which the oldest counted call leaves the window (null when none is counted). */
  resetsAt: number | null;
}

export interface QuotaState {
  used: number;
  remaining: number;
  resetsAt: number | null;
}

export interface TakeQuotaOptions {
  /**
   * When true, a store that would otherwise count on a replica-local fallback (the failover store while
   * Redis is down) throws `StoreUnavailableError` instead, so fail-closed endpoints never run on a local count.
   * A store that is the fleet's only store (memory without REDIS_URL, or Redis itself) ignores it.
   * @default false
   */
  requireShared?: boolean;
}

/** The shared store could not be reached and the caller asked not to fall back to a local one. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface Store {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /**
   * Reads `key` with the current version of its scope, in one round trip: `version` is '' until the scope is
   * first bumped. On Redis Cluster both keys must carry the same hash tag (one slot).
   */
  getInScope(versionKey: string, key: string): Promise<{ version: string; value: string | null }>;
  /**
   * Gives a scope a new version: values written under an older one are ignored by readers from now on, in
   * one single-key write however many values the scope holds (no SCAN, no multi-key delete). Version keys
   * carry no TTL; there is one per scope (per deployment and broker domain), so they stay few.
   */
  bumpScope(versionKey: string): Promise<void>;
  /** SET NX PX: true when the key was created (lock acquired). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` (releasing a lock we own). */
  delIfEquals(key: string, value: string): Promise<void>;
  /**
   * Sliding-window log: counts the call at `now` if fewer than `limit` calls fall in (now - windowMs, now].
   * Atomic across replicas.
   */
  takeQuota(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    options?: TakeQuotaOptions,
  ): Promise<QuotaDecision>;
  /** The same window, read without counting. */
  peekQuota(key: string, limit: number, windowMs: number, now: number): Promise<QuotaState>;
  /** True while the store can be used (Redis connected); memory is always ready. */
  isReady(): boolean;
  close(): Promise<void>;
}
