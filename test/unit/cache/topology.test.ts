import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config.ts';
import { parseRedisTopology } from '../../../src/store/topology.ts';

const PASSWORD = 'pa@ss:w/rd-canary';
const encoded = encodeURIComponent(PASSWORD);

const refusal = (env: Record<string, string>): string => {
  try {
    parseRedisTopology(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('Redis topology from the environment', () => {
  it('is none without any Redis variable (memory, one replica)', () => {
    expect(parseRedisTopology({})).toBeUndefined();
  });

  it('reads a standalone rediss:// URL with an ACL user and an escaped password', () => {
    expect(parseRedisTopology({ REDIS_URL: `rediss://gateway:${encoded}@redis.internal:6380` })).toEqual({
      kind: 'standalone',
      nodes: [{ host: 'redis.internal', port: 6380 }],
      username: 'gateway',
      password: PASSWORD,
      tls: true,
    });
    expect(parseRedisTopology({ REDIS_URL: 'redis://127.0.0.1/0' })).toMatchObject({
      nodes: [{ host: '127.0.0.1', port: 6379 }],
      tls: false,
    });
  });

  it('reads Cluster seeds as host:port or URLs; rediss:// and credentials on one apply to all', () => {
    expect(parseRedisTopology({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001' })).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
    });
    const managed = `rediss://gateway:${encoded}@clustercfg.example.cache.amazonaws.com:6379`;
    expect(parseRedisTopology({ REDIS_CLUSTER_NODES: managed })).toMatchObject({
      kind: 'cluster',
      nodes: [{ host: 'clustercfg.example.cache.amazonaws.com', port: 6379 }],
      username: 'gateway',
      password: PASSWORD,
      tls: true,
    });
  });

  it('reads sentinels (default port 26379) and needs the master name', () => {
    expect(
      parseRedisTopology({
        REDIS_SENTINELS: 'sentinel-1,sentinel-2:26380',
        REDIS_SENTINEL_MASTER: 'gateway',
      }),
    ).toEqual({
      kind: 'sentinel',
      nodes: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
      ],
      masterName: 'gateway',
      tls: false,
    });
    expect(refusal({ REDIS_SENTINELS: 'sentinel-1' })).toMatch(/REDIS_SENTINEL_MASTER: is required/);
    expect(refusal({ REDIS_SENTINEL_MASTER: 'gateway' })).toMatch(/needs REDIS_SENTINELS/);
  });

  it('reads the CA bundle for TLS, and refuses one without TLS or one it cannot read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'redis-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n');
    const tls = parseRedisTopology({ REDIS_URL: 'rediss://redis:6380', REDIS_TLS_CA_FILE: file });
    expect(tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(refusal({ REDIS_URL: 'redis://redis:6379', REDIS_TLS_CA_FILE: file })).toMatch(
      /REDIS_TLS_CA_FILE: is set, but REDIS_URL does not use rediss:\/\//,
    );
    expect(refusal({ REDIS_URL: 'rediss://redis:6380', REDIS_TLS_CA_FILE: `${file}.missing` })).toMatch(
      /REDIS_TLS_CA_FILE: cannot read .*ENOENT/,
    );
  });

  it.each([
    [
      { REDIS_URL: `redis://:${encoded}@redis/3` },
      /REDIS_URL: selects database 3; the gateway uses database 0 only/,
    ],
    [{ REDIS_URL: `redis://u:${encoded}@a:1,b:2` }, /REDIS_URL: one URL only/],
    [{ REDIS_URL: `localhost:6379` }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [
      { REDIS_CLUSTER_NODES: `http://u:${encoded}@a:1` },
      /REDIS_CLUSTER_NODES: must use redis:\/\/ or rediss:\/\//,
    ],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /REDIS_CLUSTER_NODES: lists no node/],
    [
      { REDIS_URL: `redis://u:${encoded}@a`, REDIS_CLUSTER_NODES: 'b:1' },
      /REDIS_URL, REDIS_CLUSTER_NODES: set only one of them/,
    ],
  ])('refuses %o, naming the variable and never the password', (env, message) => {
    const text = refusal(env);
    expect(text).toMatch(message);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encoded);
  });

  it('is part of the configuration: a bad topology refuses to start with a ConfigError', () => {
    const document = {
      platform: { apiUrl: 'https://cloud.example/public_api/v1', apiKey: 'k', apiSecret: 's' },
      auth: { apiKeys: [] },
    };
    const env = { GATEWAY_CONFIG_FILE: 'x', REDIS_URL: 'redis://redis/2' };
    expect(() => parseConfig(document, env)).toThrow(ConfigError);
    expect(() => parseConfig(document, env)).toThrow(
      /Invalid environment:\n {2}REDIS_URL: selects database 2/,
    );
  });
});
