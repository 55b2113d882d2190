import { parseRedisTopology, type RedisTopology } from '../../src/store/topology.ts';
import { startRedis } from './redis.ts';
import { startRedisCluster } from './redis-cluster.ts';
import { startRedisSentinel } from './redis-sentinel.ts';

export type TopologyName = 'standalone' | 'cluster' | 'sentinel';
export const TOPOLOGIES: TopologyName[] = ['standalone', 'cluster', 'sentinel'];

/** A real Redis of one topology, started for a test file, with the environment that points a gateway at it. */
export interface TestTopology {
  name: TopologyName;
  /** REDIS_URL, REDIS_CLUSTER_NODES, or REDIS_SENTINELS and REDIS_SENTINEL_MASTER. */
  env: Record<string, string>;
  topology: RedisTopology;
  stop(): Promise<void>;
}

async function started(name: TopologyName): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  if (name === 'cluster') {
    const cluster = await startRedisCluster(3);
    return { env: { REDIS_CLUSTER_NODES: cluster.nodes }, stop: cluster.stop };
  }
  if (name === 'sentinel') {
    const sentinel = await startRedisSentinel();
    const env = { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_MASTER: sentinel.masterName };
    return { env, stop: sentinel.stop };
  }
  const redis = await startRedis();
  return { env: { REDIS_URL: redis.url }, stop: redis.stop };
}

export async function startTopology(name: TopologyName): Promise<TestTopology> {
  const { env, stop } = await started(name);
  const topology = parseRedisTopology(env);
  if (!topology) throw new Error(`no topology from ${JSON.stringify(env)}`);
  return { name, env, topology, stop };
}

/** The standalone topology of a server started with startRedis(). */
export function topologyOf(redis: { url: string }): RedisTopology {
  const topology = parseRedisTopology({ REDIS_URL: redis.url });
  if (!topology) throw new Error('no topology');
  return topology;
}
