import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from '../broker/devices.ts';

/**
 * Shared-store round trips per request, counted by Redis itself (INFO commandstats; a count, not a timing): a
 * warm dashboard validates every cached read it makes with one read of the fleet's cache epoch, and a change
 * made on one replica is still seen by the next request on the other (the in-process layer is validated, not
 * trusted).
 */

const V5 = 'a1b2c3d4';

/** Every command Redis ran since the last reset, except the ones this test sends to count them. */
async function commandsRun(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1]!;
    if (name === 'info' || name.startsWith('config')) continue;
    counts[name] = Number(match[2]);
  }
  return counts;
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

describe('shared-store round trips per request', () => {
  let redis: TestRedis;
  let admin: Redis;
  let stack: Stack;
  let devices: Devices;
  let dashboard: string;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    stack = await startStack({
      redisUrl: redis.url,
      configure: (config) => {
        config.cache.brokerTtlSeconds = 600;
        config.cache.deploymentsTtlSeconds = 600;
        // The per-caller rate limit is a round trip of its own (a write); counted apart below.
        config.security = { ...config.security, rateLimit: { requests: 0 } };
      },
    });
    await stack.addGateway();
    devices = await connectDevices(stack, V5, [
      { clientId: 'trip-1', topics: [{ topic: 'trips/1', qos: 1 }] },
      { clientId: 'trip-2', topics: [{ topic: 'trips/2', qos: 0 }] },
    ]);
    const running = await stack.gql(
      '{ deployments(filter: { status: [RUNNING], type: [DEDICATED] }) { edges { node { deploymentId } } } }',
    );
    const ids = (running.body.data as any).deployments.edges.map((e: any) => e.node.deploymentId as string);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    dashboard = `query Dashboard {
      ${ids.map((id: string, i: number) => `d${i}: deployment(deploymentId: "${id}") { ...Board }`).join('\n')}
    }
    fragment Board on Deployment {
      deploymentId
      stats { connections subscriptions }
      clients(first: 25) { totalCount edges { node { clientId connected subscriptions { topic qos } } } }
    }`;
  });
  afterAll(async () => {
    await devices?.close();
    admin?.disconnect();
    await stack?.close();
    await redis?.stop();
  });

  async function measured(gateway: number) {
    await admin.config('RESETSTAT');
    const { body } = await stack.gql(dashboard, { token: stack.tokens.viewer, gateway });
    expect(body.errors).toBeUndefined();
    return { body, counts: await commandsRun(admin) };
  }

  it('makes one round trip for a warm dashboard, on each replica', async () => {
    await measured(0); // cold on replica 0: fills the shared cache (bench/ reports its count)
    await measured(1); // replica 1 decodes what replica 0 stored
    for (const gateway of [0, 1]) {
      const { counts } = await measured(gateway);
      expect(`${gateway}: ${JSON.stringify(counts)}`).toBe(`${gateway}: {"get":1}`);
      expect(total(counts)).toBe(1);
    }
  });

  it('shows a client kicked on replica 0 in the next dashboard on replica 1', async () => {
    const before = await measured(1);
    const ids = (data: any) =>
      Object.values(data as Record<string, any>).flatMap((d: any) =>
        d.clients.edges.map((e: any) => e.node.clientId),
      );
    expect(ids(before.body.data)).toContain('trip-1');
    const kicked = await stack.gql(
      `mutation { kickClient(deploymentId: "${V5}", clientId: "trip-1") { __typename } }`,
      { token: stack.tokens.operator, gateway: 0 },
    );
    expect(kicked.body.data).toEqual({ kickClient: { __typename: 'KickClientSuccess' } });
    const after = await measured(1);
    const client = Object.values(after.body.data as Record<string, any>)
      .flatMap((d: any) => d.clients.edges.map((e: any) => e.node))
      .find((node: any) => node.clientId === 'trip-1');
    expect(client?.connected ?? false).toBe(false);
  });
});
