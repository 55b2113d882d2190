import { readFileSync } from 'node:fs';

/**
 * Where the shared Redis is and how to reach it, from the environment (CONTRACT §8):
 *
 *   REDIS_URL=rediss://gateway:secret@redis.internal:6380            standalone
 *   REDIS_CLUSTER_NODES=rediss://gateway:secret@seed-1:6379,seed-2:6379   Redis Cluster (seeds)
 *   REDIS_SENTINELS=sentinel-1:26379,sentinel-2:26379 REDIS_SENTINEL_MASTER=gateway   Sentinel
 *   REDIS_TLS_CA_FILE=/etc/redis-ca/ca.pem                            private CA for any TLS connection
 *
 * A seed or sentinel is `host:port` or a URL; `rediss://` on any entry turns TLS on for every connection,
 * and the user and password of the entry that has them apply to every node (for Sentinel: to the sentinels
 * and to the master). No logical database: Redis Cluster has only database 0, and proxies in front of managed
 * Redis refuse SELECT, so one configuration works on every topology.
 */
export type RedisTopology = {
  kind: 'standalone' | 'cluster' | 'sentinel';
  /** The server (standalone), the seeds (cluster) or the sentinels. */
  nodes: RedisEndpoint[];
  /** Sentinel only: the monitored master's name. */
  masterName?: string;
  username?: string;
  password?: string;
  tls: boolean;
  /** PEM bundle from REDIS_TLS_CA_FILE, trusted instead of the system CAs for Redis connections. */
  ca?: string;
};

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** A setting that cannot work, named by its variable (never by its value, which may hold a password). */
export class RedisTopologyError extends Error {}

const DEFAULT_PORT = { standalone: 6379, cluster: 6379, sentinel: 26379 } as const;

interface ParsedEntry extends RedisEndpoint {
  tls: boolean;
  username?: string;
  password?: string;
}

function parseEntry(variable: string, entry: string, defaultPort: number): ParsedEntry {
  const text = /^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisTopologyError(`${variable}: "${hostOnly(entry)}" is not host:port or a redis:// URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new RedisTopologyError(`${variable}: must use redis:// or rediss://`);
  if (!url.hostname) throw new RedisTopologyError(`${variable}: an entry has no host`);
  const database = url.pathname.replace(/^\//, '');
  if (database !== '' && database !== '0') {
    throw new RedisTopologyError(
      `${variable}: selects database ${database}; the gateway uses database 0 only (Redis Cluster and most managed Redis proxies refuse SELECT), so keep its keys apart by the key prefix instead`,
    );
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : defaultPort,
    tls: url.protocol === 'rediss:',
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/** For error messages: an entry without anything before an `@`. */
const hostOnly = (entry: string) => entry.slice(entry.lastIndexOf('@') + 1);

function parseList(variable: string, value: string, defaultPort: number): ParsedEntry[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new RedisTopologyError(`${variable}: lists no node`);
  return entries.map((entry) => parseEntry(variable, entry, defaultPort));
}

function readCa(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RedisTopologyError(
      `REDIS_TLS_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

function chosen(env: NodeJS.ProcessEnv) {
  const set = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((name) => env[name]);
  if (set.length > 1)
    throw new RedisTopologyError(`${set.join(', ')}: set only one of them (one Redis topology)`);
  return set[0];
}

/** The topology the environment describes, or undefined when none is set (memory, one replica only). */
export function parseRedisTopology(env: NodeJS.ProcessEnv): RedisTopology | undefined {
  const variable = chosen(env);
  if (!variable) {
    if (env.REDIS_SENTINEL_MASTER)
      throw new RedisTopologyError('REDIS_SENTINEL_MASTER: needs REDIS_SENTINELS');
    return undefined;
  }
  const kind =
    variable === 'REDIS_URL' ? 'standalone' : variable === 'REDIS_CLUSTER_NODES' ? 'cluster' : 'sentinel';
  if (kind === 'standalone' && !/^rediss?:\/\//.test(env.REDIS_URL ?? ''))
    throw new RedisTopologyError('REDIS_URL: must be a redis:// or rediss:// URL');
  const entries = parseList(variable, env[variable] ?? '', DEFAULT_PORT[kind]);
  if (kind === 'standalone' && entries.length > 1)
    throw new RedisTopologyError('REDIS_URL: one URL only (a cluster goes in REDIS_CLUSTER_NODES)');
  const masterName = env.REDIS_SENTINEL_MASTER;
  if (kind === 'sentinel' && !masterName)
    throw new RedisTopologyError(
      "REDIS_SENTINEL_MASTER: is required with REDIS_SENTINELS (the master's name)",
    );
  const credentials = entries.find((entry) => entry.password !== undefined || entry.username !== undefined);
  const tls = entries.some((entry) => entry.tls);
  const ca = readCa(env.REDIS_TLS_CA_FILE);
  if (ca && !tls)
    throw new RedisTopologyError(`REDIS_TLS_CA_FILE: is set, but ${variable} does not use rediss:// (TLS)`);
  return {
    kind,
    nodes: entries.map(({ host, port }) => ({ host, port })),
    ...(kind === 'sentinel' ? { masterName } : {}),
    ...(credentials?.username ? { username: credentials.username } : {}),
    ...(credentials?.password ? { password: credentials.password } : {}),
    tls,
    ...(ca ? { ca } : {}),
  };
}
