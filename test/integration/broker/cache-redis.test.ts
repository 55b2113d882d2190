import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from './devices.ts';

/** Broker reads are cached fleet-wide: many dashboards on two replicas sharing Redis cost EMQX one call. */

const V5 = 'a1b2c3d4';
const DASHBOARD = `{ deployment(deploymentId: "${V5}") {
  clients(first: 10) { freshness { source fetchedAt } edges { node { clientId } } } } }`;

describe('broker reads cached in Redis across replicas', () => {
  let redis: TestRedis;
  let stack: Stack;
  let devices: Devices;

  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.cache.brokerTtlSeconds = 60;
      },
    });
    await stack.addGateway();
    devices = await connectDevices(stack, V5, [{ clientId: 'redis-1' }, { clientId: 'redis-2' }]);
  });
  afterAll(async () => {
    await devices?.close();
    await stack?.close();
    await redis?.stop();
  });

  it('answers fifty concurrent dashboards on two replicas with one broker call', async () => {
    stack.sim.requestLog.clear();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stack.gql(DASHBOARD, { token: stack.tokens.viewer, gateway: i % 2 }),
      ),
    );
    const answers = results.map((r) => r.body.data.deployment.clients);
    expect(answers.every((a) => a.edges.length === 2)).toBe(true);
    expect(stack.sim.requestLog.count({ target: V5, pathIncludes: '/clients' })).toBe(1);
    // Every replica saw the same upstream answer: one fetch time.
    expect(new Set(answers.map((a) => a.freshness.fetchedAt)).size).toBe(1);

    const later = await stack.gql(DASHBOARD, { token: stack.tokens.viewer, gateway: 1 });
    expect(later.body.data.deployment.clients.freshness.source).toBe('CACHE');
    expect(stack.sim.requestLog.count({ target: V5, pathIncludes: '/clients' })).toBe(1);
  });
});
