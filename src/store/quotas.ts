import type { Logger } from 'pino';
import { CallerGoneError } from '../context.ts';
import { RateLimitedError } from '../errors.ts';
import { DeadlineExceededError } from '../resilience/deadline.ts';
import type { Store } from './store.ts';

export interface QuotaLimit {
  limit: number;
  windowSeconds: number;
}

export interface QuotaGuardOptions {
  /** The shared store (the failover store when REDIS_URL is set, memory otherwise). */
  store: Store;
  /** One sliding window per platform endpoint, e.g. `listDeployments: { limit: 60, windowSeconds: 3600 }`. */
  quotas: Record<string, QuotaLimit>;
  /** Key namespace with a version, e.g. `gw:v1:`. */
  keyPrefix: string;
  /** @default Date.now */
  now?: () => number;
  /**
   * Endpoints that must not run on a replica-local count (start/stop/create): while the shared store is
   * unreachable they are refused, never counted in memory.
   * @default empty
   */
  failClosed?: ReadonlySet<string>;
  /**
   * Added to each window, because the platform counts a call when it arrives and arrivals jitter by the
   * network delay: a call sent exactly one window after another could otherwise land inside its window.
   * @default min(1000, 1% of the window)
   */
  windowMarginMs?: number;
  /**
   * How long a caller is told to wait when a fail-closed endpoint is refused because the store is down.
   * @default 5
   */
  storeDownRetryAfterSeconds?: number;
  /** Told once when an endpoint's quota is spent (or paused) and once when it can be called again. */
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface QuotaSnapshot {
  endpoint: string;
  limit: number;
  remaining: number;
  windowSeconds: number;
  /** When the oldest counted call leaves the window, or when a pause ends; null when nothing is counted. */
  resetsAt: Date | null;
}

export interface QuotaGuard {
  /** Counts one call to `endpoint`, or throws RateLimitedError without counting it. */
  take(endpoint: string): Promise<void>;
  /** Throws what `take` would throw now, without counting a call (dry runs). */
  check(endpoint: string): Promise<void>;
  /** Pauses `endpoint` for every replica after an upstream 429 (Retry-After, else the whole window). */
  pause(endpoint: string, retryAfterMs?: number): Promise<void>;
  /** The remaining budget of every endpoint, for the `upstreamQuotas` query. */
  snapshot(): Promise<QuotaSnapshot[]>;
}

/**
 * Fleet-wide sliding-window quotas. The platform counts a call when it arrives, so a call is counted here
 * before it is sent and stays counted whatever its outcome.
 */
export function createQuotaGuard(options: QuotaGuardOptions): QuotaGuard {
  const { store, quotas, keyPrefix } = options;
  const now = options.now ?? Date.now;
  const failClosed = options.failClosed ?? new Set<string>();
  const storeDownSeconds = options.storeDownRetryAfterSeconds ?? 5;
  const spent = new Set<string>();

  /** One line per change of an endpoint's state, not one per refused read. */
  function refused(endpoint: string, error: RateLimitedError): RateLimitedError {
    if (!spent.has(endpoint)) {
      spent.add(endpoint);
      options.logger?.warn(
        { endpoint, retryAfterSeconds: error.retryAfterSeconds },
        'platform quota spent; serving cached data until it frees up',
      );
    }
    return error;
  }
  function allowed(endpoint: string) {
    if (spent.delete(endpoint)) options.logger?.info({ endpoint }, 'platform quota available again');
  }

  const quotaOf = (endpoint: string) => {
    const quota = quotas[endpoint];
    if (!quota) throw new Error(`No quota configured for platform endpoint ${endpoint}`);
    const windowMs = quota.windowSeconds * 1000;
    return { ...quota, windowMs: windowMs + (options.windowMarginMs ?? Math.min(1000, windowMs / 100)) };
  };
  const countKey = (endpoint: string) => `${keyPrefix}quota:${endpoint}`;
  const pauseKey = (endpoint: string) => `${keyPrefix}pause:${endpoint}`;

  const storeDown = (endpoint: string) =>
    new RateLimitedError(
      `The fleet-wide quota store is unreachable, so ${endpoint} is refused to protect the platform quota; try again shortly`,
      storeDownSeconds,
    );

  /** Epoch ms at which the endpoint's pause ends, or null when it is not paused. */
  async function pausedUntil(endpoint: string, at: number): Promise<number | null> {
    const until = Number(await store.get(pauseKey(endpoint)));
    return Number.isFinite(until) && until > at ? until : null;
  }

  /** Any failure of the store itself refuses the call: a quota that cannot be checked is not spent. */
  async function guarded<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DeadlineExceededError || error instanceof CallerGoneError) throw error;
      throw storeDown(endpoint);
    }
  }

  async function take(endpoint: string): Promise<void> {
    const { limit, windowSeconds, windowMs } = quotaOf(endpoint);
    const requireShared = failClosed.has(endpoint);
    if (requireShared && !store.isReady()) throw storeDown(endpoint);
    const at = now();
    const until = await guarded(endpoint, () => pausedUntil(endpoint, at));
    if (until !== null) {
      throw refused(
        endpoint,
        new RateLimitedError(
          `${endpoint} is paused for every replica after the platform answered 429 (rate limited)`,
          (until - at) / 1000,
        ),
      );
    }
    const key = countKey(endpoint);
    const decision = await guarded(endpoint, () =>
      store.takeQuota(key, limit, windowMs, at, { requireShared }),
    );
    if (!decision.allowed) {
      throw refused(
        endpoint,
        new RateLimitedError(
          `The platform allows ${limit} ${endpoint} calls per ${windowSeconds} s and the gateway has spent them`,
          decision.retryAfterMs / 1000,
        ),
      );
    }
    allowed(endpoint);
  }

  async function check(endpoint: string): Promise<void> {
    const { limit, windowSeconds, windowMs } = quotaOf(endpoint);
    if (failClosed.has(endpoint) && !store.isReady()) throw storeDown(endpoint);
    const at = now();
    const [state, until] = await guarded(endpoint, () =>
      Promise.all([store.peekQuota(countKey(endpoint), limit, windowMs, at), pausedUntil(endpoint, at)]),
    );
    if (until !== null) {
      throw new RateLimitedError(
        `${endpoint} is paused for every replica after the platform answered 429`,
        (until - at) / 1000,
      );
    }
    if (state.remaining <= 0) {
      const retryAfterMs = state.resetsAt === null ? windowMs : state.resetsAt - at;
      throw new RateLimitedError(
        `The platform allows ${limit} ${endpoint} calls per ${windowSeconds} s and the gateway has spent them`,
        retryAfterMs / 1000,
      );
    }
  }

  async function pause(endpoint: string, retryAfterMs?: number): Promise<void> {
    const ms = Math.max(1, retryAfterMs ?? quotaOf(endpoint).windowMs);
    await store.set(pauseKey(endpoint), String(now() + ms), ms);
  }

  async function snapshotOf(endpoint: string, at: number): Promise<QuotaSnapshot> {
    const { limit, windowSeconds, windowMs } = quotaOf(endpoint);
    const [state, until] = await Promise.all([
      store.peekQuota(countKey(endpoint), limit, windowMs, at),
      pausedUntil(endpoint, at),
    ]);
    const remaining = until === null ? state.remaining : 0;
    const resetsAt = until ?? state.resetsAt;
    return {
      endpoint,
      limit,
      remaining,
      windowSeconds,
      resetsAt: resetsAt === null ? null : new Date(resetsAt),
    };
  }

  return {
    take,
    check,
    pause,
    async snapshot() {
      const at = now();
      return Promise.all(Object.keys(quotas).map((endpoint) => snapshotOf(endpoint, at)));
    },
  };
}
