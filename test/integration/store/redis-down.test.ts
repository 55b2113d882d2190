import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, spawnGateway, writeConfigFile } from '../../helpers/process.ts';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, stackConfig, startStack } from '../../helpers/stack.ts';

/** What happens when Redis cannot be used: a fleet-wide quota without it, and start-up errors vs degraded. */

const QUOTA = { limit: 10, windowSeconds: 30 };
const REPLICAS = 5;

const listCalls = (stack: Stack) =>
  stack.sim.requestLog
    .entries({ target: 'platform', method: 'GET' })
    .filter((entry) => entry.rawPath === '/public_api/v1/deployments').length;

describe('Redis unreachable, cache.maxReplicas 5, five replicas', () => {
  let stack: Stack;
  beforeAll(async () => {
    const nobody = await freePort();
    stack = await startStack({
      env: { REDIS_URL: `redis://127.0.0.1:${nobody}` },
      configure: (config) => {
        config.platform.quotas = { listDeployments: QUOTA, getDeployment: QUOTA };
        config.cache.deploymentsTtlSeconds = 0.02;
        config.cache.maxReplicas = REPLICAS;
      },
    });
    for (let replica = 1; replica < REPLICAS; replica++) await stack.addGateway();
  }, 120_000);
  afterAll(() => stack?.close());

  it('the fleet makes no more platform list calls than the quota, each replica 1/5 of it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        stack.gql('{ deployments { totalCount } }', {
          token: stack.tokens.viewer,
          gateway: index % REPLICAS,
        }),
      ),
    );
    expect(answers.some(({ body }) => body.data?.deployments)).toBe(true);
    const calls = listCalls(stack);
    console.info(`Redis down: ${calls} platform list calls from ${REPLICAS} replicas (quota ${QUOTA.limit})`);
    expect(calls).toBeGreaterThanOrEqual(REPLICAS);
    expect(calls).toBeLessThanOrEqual(QUOTA.limit);
  });
});

describe('Redis at start-up', () => {
  let redis: TestRedis;
  let document: Record<string, any>;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    const admin = new Redis(redis.url);
    await admin.call('CONFIG', 'SET', 'requirepass', 'the-right-password');
    admin.disconnect();
    stack = await startStack();
    document = stackConfig(stack.sim, stack.tokens);
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('refuses to start when Redis refuses the password, saying so and not echoing it', async () => {
    const { output, exited } = runServer({
      GATEWAY_CONFIG_FILE: writeConfigFile(document),
      REDIS_URL: `redis://:wrong-password-canary@127.0.0.1:${redis.port}`,
    });
    expect(await exited).toBe(78);
    const text = output.join('\n');
    expect(text).toMatch(/refuses to start[\s\S]*Redis refused the user or password \(WRONGPASS\)/);
    expect(text).not.toContain('wrong-password-canary');
  }, 60_000);

  it('starts degraded when Redis cannot be reached yet, and says so', async () => {
    const nobody = await freePort();
    const gateway = await spawnGateway(document, { REDIS_URL: `redis://127.0.0.1:${nobody}` });
    try {
      expect(gateway.output.join('\n')).toContain('Redis unreachable at start-up: starting degraded');
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
    // A process start plus the preflight's 3 s and the gateway's own 5 s wait for Redis.
  }, 90_000);

  it('starts with the right password', async () => {
    const gateway = await spawnGateway(document, {
      REDIS_URL: `redis://:the-right-password@127.0.0.1:${redis.port}`,
    });
    try {
      expect(gateway.output.join('\n')).not.toContain('Redis unreachable');
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
