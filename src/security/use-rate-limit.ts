import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/caller.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';

export interface RateLimitOptions {
  /**
   * GraphQL requests one caller may make per window, counted fleet-wide in the shared store (Redis when
   * configured); 0 turns the limit off.
   * @default 600
   */
  requests: number;
  /** @default 60 */
  windowSeconds: number;
  store: Store;
  /** Key namespace with a version, e.g. `emqxgw:v1:`. */
  keyPrefix: string;
  /** The caller the auth plugin established for this request; undefined when it refused the request. */
  callerOf: (request: Request) => Caller | undefined;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
}

/** One bucket per caller; JWT subjects and API key names never share one, and odd names stay short. */
const bucketOf = (caller: Caller) =>
  createHash('sha256').update(`${caller.via}\0${caller.name}`).digest('base64url').slice(0, 22);

const tooMany = (limit: number, windowSeconds: number, retryAfterSeconds: number) =>
  new Response(
    JSON.stringify({
      errors: [
        {
          message: rateLimitMessage(limit, windowSeconds, retryAfterSeconds),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
        },
      ],
    }),
    {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
    },
  );

/**
 * A fair share per caller: each caller has its own sliding window, so one busy dashboard cannot spend the
 * shared upstream quotas and cache capacity that every other caller depends on. Runs after authentication
 * and before parsing, so a refused request costs one store round trip. A store failure lets the request
 * through: the upstream quotas still protect EMQX, and an outage of Redis should not become an outage of reads.
 */
export function useRateLimit(options: RateLimitOptions): Plugin {
  const { requests, windowSeconds, callerOf } = options;
  if (requests === 0) return {};
  const take = createRateLimiter(options);
  return {
    async onRequest({ request, endResponse }) {
      const caller = callerOf(request);
      if (!caller) return;
      const retryAfterSeconds = await take(caller);
      if (retryAfterSeconds !== null) endResponse(tooMany(requests, windowSeconds, retryAfterSeconds));
    },
  };
}

/**
 * Takes one request from the caller's window: null when allowed (or the limit is off, or the store failed),
 * else the seconds to wait. The same windows whatever the transport (HTTP here, WebSocket operations too).
 */
export function createRateLimiter(
  options: Omit<RateLimitOptions, 'callerOf'>,
): (caller: Caller) => Promise<number | null> {
  const { requests, windowSeconds, store, keyPrefix, logger } = options;
  const now = options.now ?? Date.now;
  const windowMs = windowSeconds * 1000;
  return async (caller) => {
    if (requests === 0) return null;
    try {
      const key = `${keyPrefix}ratelimit:${bucketOf(caller)}`;
      const decision = await store.takeQuota(key, requests, windowMs, now());
      if (decision.allowed) return null;
      const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      logger.info({ caller: caller.name, retryAfterSeconds }, 'caller rate limit reached');
      return retryAfterSeconds;
    } catch (error) {
      logger.warn({ err: error }, 'cannot check the caller rate limit; letting the request through');
      return null;
    }
  };
}

/** The refusal's text, the same over every transport. */
export const rateLimitMessage = (limit: number, windowSeconds: number, retryAfterSeconds: number) =>
  `This caller may send ${limit} requests per ${windowSeconds} s and has sent them; try again in ${retryAfterSeconds} s`;
