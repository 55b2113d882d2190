import { randomUUID } from 'node:crypto';
import { createRedisStore } from './redis.ts';
import { connectRedis, type RedisClient } from './redis-connection.ts';
import type { Store } from './store.ts';
import type { RedisTopology } from './topology.ts';

/**
 * What start-up makes of the configured Redis. A setting that cannot work however long the gateway waits
 * (credentials refused, a user without the commands it needs, a certificate not trusted) stops the start:
 * every replica would otherwise run on its own memory with a fraction of each quota, unnoticed. A Redis
 * that cannot be reached yet is different: it may come up after the gateway (a restart, a failover), so
 * the gateway starts degraded and joins it once it answers.
 */
export type RedisCheck =
  | { outcome: 'ok' }
  | { outcome: 'unreachable'; reason: string }
  | { outcome: 'refused'; reason: string };

const AUTH = /WRONGPASS|NOAUTH|invalid password|invalid username/i;
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

/** Cluster errors wrap the node's own error ("Failed to refresh slots cache" + lastNodeError). */
const causes = (error: Error & { lastNodeError?: Error; code?: string }): Array<Error & { code?: string }> =>
  error.lastNodeError ? [error, ...causes(error.lastNodeError)] : [error];

function refusal(error: Error): string | null {
  for (const cause of causes(error)) {
    if (AUTH.test(cause.message))
      return `Redis refused the user or password (${cause.message.split(' ')[0]}): check the credentials in the Redis URL`;
    if (cause.code && TLS_CODES.has(cause.code))
      return `Redis's TLS certificate is not trusted (${cause.code}): set REDIS_TLS_CA_FILE to the CA that signed it`;
  }
  return null;
}

/** Waits for the connection to be ready, a fatal error, or the deadline. */
async function connection(client: RedisClient, timeoutMs: number): Promise<RedisCheck> {
  let lastError = 'no answer';
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<RedisCheck>((resolve) => {
      // Plain listeners: events.once() would reject on the 'error' events that a refused connection emits.
      client.on('error', (error: Error) => {
        lastError = causes(error).at(-1)?.message ?? error.message;
        const reason = refusal(error);
        if (reason) resolve({ outcome: 'refused', reason });
      });
      client.once('ready', () => resolve({ outcome: 'ok' }));
      timer = setTimeout(() => resolve({ outcome: 'unreachable', reason: lastError }), timeoutMs);
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every kind of command the gateway sends, so a missing ACL permission shows now, by name. */
async function commands(store: Store, keyPrefix: string): Promise<void> {
  const scope = `{preflight:${randomUUID()}}`;
  const key = `${keyPrefix}${scope}value`;
  const versionKey = `${keyPrefix}version:${scope}`;
  await store.set(key, 'x', 10_000);
  await store.get(key);
  await store.setIfAbsent(`${key}:lock`, 'token', 10_000);
  await store.delIfEquals(`${key}:lock`, 'token');
  await store.takeQuota(`${key}:quota`, 1, 10_000, Date.now());
  await store.peekQuota(`${key}:quota`, 1, 10_000, Date.now());
  await store.bumpScope(versionKey);
  await store.getInScope(versionKey, key);
  await store.del(key, `${key}:quota`, versionKey);
}

async function untilReady(store: Store, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!store.isReady()) {
    if (performance.now() > deadline) throw new Error('Redis answered once, then not again');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Connects once at start-up and says whether the gateway may start (see RedisCheck). */
export async function checkRedis(
  topology: RedisTopology,
  options: { keyPrefix: string; timeoutMs?: number },
): Promise<RedisCheck> {
  const client = connectRedis(topology, { commandTimeoutMs: 2_000 });
  const connected = await connection(client, options.timeoutMs ?? 5_000);
  client.disconnect();
  if (connected.outcome !== 'ok') return connected;
  const store = createRedisStore({ topology, commandTimeoutMs: 2_000 });
  try {
    await untilReady(store, options.timeoutMs ?? 5_000);
    await commands(store, options.keyPrefix);
    return { outcome: 'ok' };
  } catch (error) {
    const message = (error as Error).message;
    if (/NOPERM/.test(message))
      return {
        outcome: 'refused',
        reason: `The Redis user lacks a permission the gateway needs: ${message}`,
      };
    return { outcome: 'unreachable', reason: message };
  } finally {
    await store.close();
  }
}
