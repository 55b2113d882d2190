import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { withCommandTimeout } from './command-timeout.ts';
import { connectRedis, type RedisClient, type RedisConnectionOptions } from './redis-connection.ts';
import type { QuotaDecision, QuotaState, Store } from './store.ts';
import type { RedisTopology } from './topology.ts';

export interface RedisStoreOptions extends RedisConnectionOptions {
  /** Standalone, Cluster or Sentinel, as parsed from the environment (src/store/topology.ts). */
  topology: RedisTopology;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Sliding-window log, atomic on the server. ARGV: now, cutoff (now - window), limit, unique member, window.
 * Bounds come from the caller as strings because Lua prints large numbers in %.14g.
 * Returns { allowed, used, oldest score | false, score whose exit frees the next slot | false }.
 */
const TAKE_QUOTA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local used = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[3])
local allowed = 0
if used < limit then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  used = used + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
local freeing = false
if allowed == 0 then
  freeing = redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')[2]
end
return { allowed, used, oldest or false, freeing or false }
`;

/** The same window read without counting or trimming. ARGV: cutoff. Returns { used, oldest | false }. */
const PEEK_QUOTA = `
local min = '(' .. ARGV[1]
local used = redis.call('ZCOUNT', KEYS[1], min, '+inf')
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], min, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2]
return { used, oldest or false }
`;

const DEL_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type QuotaCommands = {
  takeQuota(key: string, ...args: string[]): Promise<[number, number, string | null, string | null]>;
  peekQuota(key: string, cutoff: string): Promise<[number, string | null]>;
  delIfEquals(key: string, value: string): Promise<number>;
  getInScope(versionKey: string, key: string): Promise<[string, string | null]>;
};

/**
 * A value and the version of its scope in one round trip. KEYS: the scope's version key, the value's key;
 * both carry the scope as their hash tag, so on a Cluster they live in one slot.
 */
const GET_IN_SCOPE = `
return { redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or false }
`;

function connect(options: RedisStoreOptions): RedisClient & QuotaCommands {
  const redis = connectRedis(options.topology, options);
  redis.defineCommand('takeQuota', { numberOfKeys: 1, lua: TAKE_QUOTA });
  redis.defineCommand('peekQuota', { numberOfKeys: 1, lua: PEEK_QUOTA, readOnly: true });
  redis.defineCommand('delIfEquals', { numberOfKeys: 1, lua: DEL_IF_EQUALS });
  redis.defineCommand('getInScope', { numberOfKeys: 2, lua: GET_IN_SCOPE, readOnly: true });
  return redis as RedisClient & QuotaCommands;
}

/** Logs the first connection error of an outage and the recovery, not every reconnect attempt. */
function watchConnection(redis: RedisClient, logger: RedisStoreOptions['logger']) {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger?.warn({ err: error }, 'Redis unreachable; retrying in the background');
  });
  redis.on('ready', () => {
    if (down) logger?.info('Redis reachable again');
    down = false;
  });
}

const score = (value: string | null) => (value === null ? null : Number(value));

/**
 * The fleet's shared store. Quota windows use the `now` passed by the caller (each replica's NTP-synced
 * clock, as the tests inject it), not Redis TIME: skew between replicas shifts a window by the skew only.
 * Physical expiry (PX, PEXPIRE) runs on Redis's clock.
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  const redis = connect(options);
  watchConnection(redis, options.logger);
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  const timed = <T>(command: Promise<T>) => withCommandTimeout(command, commandTimeoutMs);

  return {
    kind: 'redis',
    async get(key) {
      return timed(redis.get(key));
    },
    async set(key, value, ttlMs) {
      await timed(redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))));
    },
    async del(...keys) {
      // One key per command: keys in different Cluster slots cannot share one (CROSSSLOT).
      await Promise.all(keys.map((key) => timed(redis.unlink(key))));
    },
    async getInScope(versionKey, key) {
      const [version, value] = await timed(redis.getInScope(versionKey, key));
      return { version, value };
    },
    async bumpScope(versionKey) {
      await timed(redis.set(versionKey, randomUUID()));
    },
    async setIfAbsent(key, value, ttlMs) {
      const sent = redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      try {
        return (await timed(sent)) === 'OK';
      } catch (error) {
        // The SET was sent and may still run (a paused Redis runs it once it resumes), yet the caller treats the
        // lock as not taken. Undo it now: the delete queues behind the SET on this connection, so it runs right
        // after it, and removes the lock only while it holds this attempt's token. Otherwise nobody would own the
        // lock until its TTL, and every reader of the key would wait for it.
        redis.delIfEquals(key, value).catch(() => undefined);
        throw error;
      }
    },
    async delIfEquals(key, value) {
      await timed(redis.delIfEquals(key, value));
    },
    async takeQuota(key, limit, windowMs, now): Promise<QuotaDecision> {
      const member = `${now}:${randomUUID()}`;
      const args = [now, now - windowMs, limit, member, Math.max(1, Math.ceil(windowMs))].map(String);
      const [allowed, used, oldest, freeing] = await timed(redis.takeQuota(key, ...args));
      const freeingAt = score(freeing);
      const oldestAt = score(oldest);
      return {
        allowed: allowed === 1,
        remaining: Math.max(0, limit - used),
        retryAfterMs: allowed === 1 ? 0 : freeingAt === null ? windowMs : freeingAt + windowMs - now,
        resetsAt: oldestAt === null ? null : oldestAt + windowMs,
      };
    },
    async peekQuota(key, limit, windowMs, now): Promise<QuotaState> {
      const [used, oldest] = await timed(redis.peekQuota(key, String(now - windowMs)));
      const oldestAt = score(oldest);
      return {
        used,
        remaining: Math.max(0, limit - used),
        resetsAt: oldestAt === null ? null : oldestAt + windowMs,
      };
    },
    isReady: () => redis.status === 'ready',
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
