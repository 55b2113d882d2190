import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTopology } from './topology.ts';

/** A standalone/Sentinel connection or a Cluster client: both take the same commands and scripts. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /**
   * A command that has no answer after this long fails, so no request waits on a hung Redis. The store measures
   * it (src/store/command-timeout.ts); the client's own timer is only a backstop that frees a hung command later.
   * @default 500
   */
  commandTimeoutMs?: number;
  /**
   * Upper bound of the reconnect backoff (it grows by 100 ms per attempt up to this).
   * @default 2000
   */
  maxReconnectDelayMs?: number;
}

function tlsOptions(topology: RedisTopology) {
  if (!topology.tls) return undefined;
  return topology.ca ? { ca: topology.ca } : {};
}

/** What every connection to a data node shares, whatever the topology. */
function nodeOptions(topology: RedisTopology, options: RedisConnectionOptions): RedisOptions {
  const commandTimeout = options.commandTimeoutMs ?? 500;
  const tls = tlsOptions(topology);
  return {
    // A backstop only: ioredis's timer fires before a busy loop reads an answer already waiting in the socket.
    // Commands fail at once while disconnected instead of queueing, and are not resent after a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: Math.max(5_000, commandTimeout * 10),
    connectTimeout: Math.max(1000, commandTimeout * 4),
    retryStrategy: (attempt) => Math.min(attempt * 100, options.maxReconnectDelayMs ?? 2000),
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password ? { password: topology.password } : {}),
    ...(tls ? { tls } : {}),
  };
}

function clusterOptions(topology: RedisTopology, options: RedisConnectionOptions): ClusterOptions {
  const redisOptions = nodeOptions(topology, options);
  return {
    redisOptions,
    enableOfflineQueue: false,
    // Reads go to masters too: a replica may lag behind a lock or a quota window.
    scaleReads: 'master',
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, options.maxReconnectDelayMs ?? 2000),
    slotsRefreshTimeout: Math.max(1000, (options.commandTimeoutMs ?? 500) * 2),
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    // Managed clusters with TLS (ElastiCache, Memorystore) name their nodes by host name in the
    // certificate: connecting by the resolved address would fail the name check.
    ...(topology.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}

function sentinelOptions(topology: RedisTopology, options: RedisConnectionOptions): RedisOptions {
  const tls = tlsOptions(topology);
  return {
    ...nodeOptions(topology, options),
    sentinels: topology.nodes,
    name: topology.masterName ?? '',
    role: 'master',
    // Subscribes to +switch-master so a failover is followed at once rather than on the next error.
    failoverDetector: true,
    sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, options.maxReconnectDelayMs ?? 2000),
    ...(topology.username ? { sentinelUsername: topology.username } : {}),
    ...(topology.password ? { sentinelPassword: topology.password } : {}),
    ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
  };
}

/** Opens the client the topology calls for; it connects (and reconnects) in the background. */
export function connectRedis(topology: RedisTopology, options: RedisConnectionOptions = {}): RedisClient {
  if (topology.kind === 'cluster') return new Cluster(topology.nodes, clusterOptions(topology, options));
  if (topology.kind === 'sentinel') return new Redis(sentinelOptions(topology, options));
  const [node] = topology.nodes;
  return new Redis({ ...nodeOptions(topology, options), host: node?.host, port: node?.port });
}
