import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type TestRedisCluster } from '../../helpers/redis-cluster.ts';
import { startRedisSentinel, type TestRedisSentinel } from '../../helpers/redis-sentinel.ts';

/** The Redis set-ups the topology suites run on are real: a cluster that spreads slots, a sentinel that fails over. */
describe('test Redis Cluster', () => {
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterAll(() => cluster.stop());

  it('has three masters sharing the 16384 slots, and redirects a key to its owner', async () => {
    const seeds = cluster.nodes.split(',').map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port) };
    });
    const client = new Cluster(seeds);
    try {
      const slots = await client.cluster('SLOTS');
      const owners = new Set(slots.map(([, , owner]) => owner?.[1]));
      expect(owners).toEqual(new Set(cluster.ports));
      expect(slots.reduce((sum, [from, to]) => sum + to - from + 1, 0)).toBe(16_384);
      for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await client.set(key, key);
      expect(await client.get('f')).toBe('f');

      const direct = new Redis({ host: '127.0.0.1', port: cluster.ports[0]! });
      const ownerOf = async (key: string) => {
        const slot = (await direct.cluster('KEYSLOT', key)) as number;
        return slots.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
      };
      const keyOwners = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map(ownerOf));
      const keyElsewhere = ['a', 'b', 'c', 'd', 'e', 'f'][keyOwners.findIndex((o) => o !== cluster.ports[0])];
      await expect(direct.get(keyElsewhere!)).rejects.toThrow(/MOVED/);
      direct.disconnect();
    } finally {
      client.disconnect();
    }
  });
});

describe('test Redis Sentinel', () => {
  let sentinel: TestRedisSentinel;
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
  });
  afterAll(() => sentinel.stop());

  it('names a master, and after a forced failover names the promoted replica, which takes writes', async () => {
    const [host, port] = sentinel.sentinels.split(',')[0]!.split(':');
    const client = new Redis({ sentinels: [{ host: host!, port: Number(port) }], name: sentinel.masterName });
    try {
      await client.set('before', '1');
      const first = await sentinel.masterPort();
      await sentinel.failover();
      expect(await sentinel.masterPort()).not.toBe(first);
      await expect.poll(() => client.set('after', '1').catch((error: Error) => error.message)).toBe('OK');
      expect(await client.get('before')).toBe('1');
    } finally {
      client.disconnect();
    }
  });
});
