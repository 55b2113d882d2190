import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../src/store/redis.ts';
import { parseRedisTopology } from '../../../src/store/topology.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Redis is a dependency, not the request's master: `CLIENT PAUSE` on a real Redis while two replicas serve
 * queries that take fetch locks. No request waits past its budget (`upstream.timeoutMs` plus the contract's small
 * margin), and no lock is left behind that nobody owns: a lock SET that timed out on the client still runs once
 * Redis resumes, and its owner undoes it then (compare-and-delete on its random token).
 */

const TIMEOUT_MS = 1_000;
const BOUND_MS = 1_600;
const PAUSE_MS = 1_200;
/** Writes (lock SETs, cache writes) wait; reads go on: a lock SET can time out on the client yet run later. */
const PAUSE_MODE = 'WRITE';
const DEPLOYMENTS = ['a1b2c3d4', 'e5f6a7b8'];

describe('Redis paused under load', () => {
  let redis: TestRedis;
  let admin: Redis;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.upstream.timeoutMs = TIMEOUT_MS;
        // Every read is a miss, so every query takes a fetch lock in Redis.
        config.cache.brokerTtlSeconds = 0.001;
        config.security = { rateLimit: { requests: 0 } };
      },
    });
    await stack.addGateway();
    await stack.gql('{ deployments { totalCount } }');
  });
  afterAll(async () => {
    admin?.disconnect();
    await stack?.close();
    await redis?.stop();
  });

  const lockKeys = () => admin.keys('*lock:*');

  it('no request waits past its budget, and no orphaned lock is left behind', async () => {
    let paused = false;
    let resumed = false;
    const times: number[] = [];
    const statuses = new Set<number>();
    /** One caller: queries one after another on one replica until the pause is over. */
    async function caller(index: number) {
      for (let n = 0; !resumed || n < 2; n++) {
        const id = DEPLOYMENTS[index % 2]!;
        const query = `{ deployment(deploymentId: "${id}") { clients(first: ${1 + ((index + n) % 5)}) { totalCount } } }`;
        const started = performance.now();
        const response = await request(`${stack.urls[index % 2]}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
          body: JSON.stringify({ query }),
        });
        await response.body.json();
        statuses.add(response.statusCode);
        if (paused) times.push(performance.now() - started);
      }
    }
    const callers = Promise.all(Array.from({ length: 8 }, (_, i) => caller(i)));
    // Load runs before the pause, during it, and for two queries per caller after it.
    await admin.ping();
    paused = true;
    await admin.call('CLIENT', 'PAUSE', String(PAUSE_MS), PAUSE_MODE);
    await admin.set('resumed', '1'); // a write: answered once the pause is over
    resumed = true;
    await callers;

    // Every lock of a finished fetch is released by its owner, including those whose SET ran late.
    let locks = await lockKeys();
    for (let i = 0; i < 20 && locks.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      locks = await lockKeys();
    }
    times.sort((a, b) => a - b);
    console.log(
      `CLIENT PAUSE ${PAUSE_MS} ms ${PAUSE_MODE} under 8 callers on 2 replicas: ${times.length} queries around it, ` +
        `median ${times[times.length >> 1]?.toFixed(0)} ms, slowest ${times.at(-1)?.toFixed(0)} ms ` +
        `(bound ${BOUND_MS} ms), locks left ${locks.length}, statuses ${[...statuses].join(',')}`,
    );
    expect(times.at(-1)).toBeLessThan(BOUND_MS);
    expect(locks).toEqual([]);
    expect([...statuses]).toEqual([200]);
  });

  it('a lock SET that timed out during a pause is undone by its owner once it runs (no orphaned lock)', async () => {
    const store = createRedisStore({
      topology: parseRedisTopology({ REDIS_URL: redis.url })!,
      commandTimeoutMs: 200,
    });
    try {
      while (!store.isReady()) await new Promise((r) => setTimeout(r, 5));
      await admin.call('CLIENT', 'PAUSE', '600', 'WRITE');
      const taken = await store.setIfAbsent('orphan:lock', 'token-1', 60_000).catch((error: Error) => error);
      expect(taken).toBeInstanceOf(Error);
      // Once the pause is over, a command on the same connection is answered behind the SET and what followed it.
      await admin.set('resumed', '1');
      await store.get('after-pause');
      const left = await admin.get('orphan:lock');
      console.log(
        `lock SET timed out during CLIENT PAUSE WRITE: ${String(taken)}; lock left: ${left ?? 'none'}`,
      );
      expect(left).toBeNull();
    } finally {
      await store.close();
    }
  });
});
