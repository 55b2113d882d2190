import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../../helpers/redis.ts';
import { type Stack, stackConfig, startStack } from '../../../helpers/stack.ts';
import { closeOf, connectDevice, mutate, V4, V5 } from './helpers.ts';

/**
 * After a mutation, the cached reads it affects are dropped for every replica sharing Redis: a second
 * in-process gateway and a real second process (`src/server.ts`) both see the change at once, although the
 * broker TTL is a minute.
 */

const RULES = `query($id: String!) { deployment(deploymentId: $id) { rules(first: 50) { freshness { source } edges { node { id } } } } }`;
const BANS = `query($id: String!) { deployment(deploymentId: $id) { bans(first: 50) { freshness { source } edges { node { who } } } } }`;
const CLIENTS = `query($id: String!) { deployment(deploymentId: $id) { clients(first: 50) { freshness { source } edges { node { clientId } } } } }`;
const RETAINED = `query($id: String!) { deployment(deploymentId: $id) { retainedMessages(first: 50) { freshness { source } edges { node { topic } } } } }`;

let redis: TestRedis;
let stack: Stack;
let other: GatewayProcess;

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack({
    redisUrl: redis.url,
    configure: (config) => {
      config.cache.brokerTtlSeconds = 60;
    },
  });
  await stack.addGateway();
  const document = stackConfig(stack.sim, stack.tokens);
  document.cache.brokerTtlSeconds = 60;
  other = await spawnGateway(document, { REDIS_URL: redis.url });
}, 60_000);

afterAll(async () => {
  await other?.stop();
  await stack?.close();
  await redis?.stop();
});

/** A read through replica `where`: 1 = the second in-process gateway, 'process' = the spawned one. */
async function read(where: 1 | 'process', query: string, id: string) {
  const variables = { id };
  if (where === 1)
    return (await stack.gql(query, { variables, token: stack.tokens.viewer, gateway: 1 })).body.data
      .deployment;
  const response = await request(`${other.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.viewer}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.body.json()) as any).data.deployment;
}

const field = (data: any) =>
  Object.values(data)[0] as { freshness: { source: string }; edges: Array<{ node: any }> };

/** Reads twice on both other replicas, so the value is cached (the second read says CACHE). */
async function warm(query: string, id: string) {
  for (const where of [1, 'process'] as const) {
    await read(where, query, id);
    expect(field(await read(where, query, id)).freshness.source).toBe('CACHE');
  }
}

async function seenEverywhere(query: string, id: string) {
  return Promise.all(([1, 'process'] as const).map(async (where) => field(await read(where, query, id))));
}

describe.each([
  { version: 'v5', id: V5 },
  { version: 'v4', id: V4 },
])('$version', ({ version, id }) => {
  it('a rule created on gateway A is listed at once by gateway B and by another process', async () => {
    await warm(RULES, id);
    const created = await mutate(
      stack,
      `mutation { createRule(deploymentId: "${id}", id: "cached-${version}", input: { sql: "SELECT * FROM \\"x/#\\"", actions: [] }) { __typename } }`,
    );
    expect(created.__typename).toBe('CreateRuleSuccess');
    const seen = await seenEverywhere(RULES, id);
    // The first replica to ask fetched again; the other may get that fresh answer from Redis.
    expect(seen.map((s) => s.freshness.source)).toContain('UPSTREAM');
    for (const one of seen) expect(one.edges.map((e) => e.node.id)).toContain(`cached-${version}`);
    await mutate(
      stack,
      `mutation { deleteRule(deploymentId: "${id}", id: "cached-${version}") { __typename } }`,
    );
    for (const seen of await seenEverywhere(RULES, id))
      expect(seen.edges.map((e) => e.node.id)).not.toContain(`cached-${version}`);
  });

  it('bans: create and delete are seen at once everywhere', async () => {
    await warm(BANS, id);
    await mutate(
      stack,
      `mutation { createBan(deploymentId: "${id}", input: { kind: USERNAME, who: "cached-${version}" }) { __typename } }`,
    );
    for (const seen of await seenEverywhere(BANS, id))
      expect(seen.edges.map((e) => e.node.who)).toContain(`cached-${version}`);
    await mutate(
      stack,
      `mutation { deleteBan(deploymentId: "${id}", kind: USERNAME, who: "cached-${version}") { __typename } }`,
    );
    for (const seen of await seenEverywhere(BANS, id))
      expect(seen.edges.map((e) => e.node.who)).not.toContain(`cached-${version}`);
  });

  it('clients: a kicked client is gone from the list at once everywhere', async () => {
    const device = await connectDevice(stack, id, `cached-dev-${version}`);
    await warm(CLIENTS, id);
    for (const seen of await seenEverywhere(CLIENTS, id))
      expect(seen.edges.map((e) => e.node.clientId)).toContain(`cached-dev-${version}`);
    const closed = closeOf(device);
    await mutate(
      stack,
      `mutation { kickClient(deploymentId: "${id}", clientId: "cached-dev-${version}") { __typename } }`,
    );
    await closed;
    for (const seen of await seenEverywhere(CLIENTS, id))
      expect(seen.edges.map((e) => e.node.clientId)).not.toContain(`cached-dev-${version}`);
  });
});

it('v5 retained: a deleted retained message is gone from the list at once everywhere', async () => {
  await mutate(
    stack,
    `mutation { publish(deploymentId: "${V5}", input: { topic: "cached/r", payload: "x", retain: true }) { __typename } }`,
  );
  await warm(RETAINED, V5);
  for (const seen of await seenEverywhere(RETAINED, V5))
    expect(seen.edges.map((e) => e.node.topic)).toContain('cached/r');
  await mutate(
    stack,
    `mutation { deleteRetainedMessage(deploymentId: "${V5}", topic: "cached/r") { __typename } }`,
  );
  for (const seen of await seenEverywhere(RETAINED, V5))
    expect(seen.edges.map((e) => e.node.topic)).not.toContain('cached/r');
});
