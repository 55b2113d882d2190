import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type TestTopology, TOPOLOGIES } from '../../helpers/redis-topologies.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { mutate, V5 } from '../broker/mutations/helpers.ts';

/**
 * Every shared behaviour on each Redis topology (CONTRACT §8), with five in-process replicas on one Redis:
 * the fleet-wide platform quota, single flight of broker reads, invalidation seen by another replica,
 * lifecycle state, and the per-caller rate limit. No replica may fall back to its own memory (which would
 * hide a MOVED or CROSSSLOT behind the failover store) and no Redis redirection error may reach a log.
 */

const REPLICAS = 5;
const QUOTA = { limit: 10, windowSeconds: 30 };
const RULES = `query($id: String!) { deployment(deploymentId: $id) { rules(first: 50) { freshness { source } edges { node { id } } } } }`;
const STATUS = `{ deployment(deploymentId: "${V5}") { status } }`;

const configure = (config: Record<string, any>) => {
  config.platform.quotas = { listDeployments: QUOTA, getDeployment: QUOTA };
  config.cache.deploymentsTtlSeconds = 0.02;
  config.cache.brokerTtlSeconds = 60;
  config.security = { rateLimit: { requests: 1_000, windowSeconds: 60 } };
};

const listCalls = (stack: Stack) =>
  stack.sim.requestLog
    .entries({ target: 'platform', method: 'GET' })
    .filter((entry) => entry.rawPath === '/public_api/v1/deployments').length;

describe.each(TOPOLOGIES)('Redis %s', (name) => {
  let topology: TestTopology;
  let stack: Stack;
  beforeAll(async () => {
    topology = await startTopology(name);
    // Five gateways share this process's event loop: a 5 s Redis command timeout keeps a busy loop from
    // counting as a slow Redis (and sending a replica to its own memory mid-test).
    stack = await startStack({ configure, env: topology.env, redisCommandTimeoutMs: 5_000 });
    for (let replica = 1; replica < REPLICAS; replica++) await stack.addGateway();
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
    await topology?.stop();
  });

  it(`${REPLICAS} replicas spend the platform list quota once between them, and every query gets data`, async () => {
    const queries = Array.from({ length: 150 }, (_, index) =>
      stack.gql('{ deployments { totalCount } }', { token: stack.tokens.viewer, gateway: index % REPLICAS }),
    );
    const answers = await Promise.all(queries);
    expect(
      answers.every(({ body }) => body.data?.deployments.totalCount === stack.sim.deployments().length),
    ).toBe(true);
    const calls = listCalls(stack);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(QUOTA.limit);
    console.info(`Redis ${name}: ${calls} platform list calls for 150 queries on ${REPLICAS} replicas`);
  });

  it('fetches each broker read once for 25 concurrent readers on all replicas (lock and single flight)', async () => {
    stack.sim.requestLog.clear();
    const reads = Array.from({ length: 25 }, (_, index) =>
      stack.gql(RULES, { variables: { id: V5 }, token: stack.tokens.viewer, gateway: index % REPLICAS }),
    );
    const answers = await Promise.all(reads);
    expect(answers.every(({ body }) => body.data?.deployment.rules.edges)).toBe(true);
    const paths = stack.sim.requestLog
      .entries({ target: V5 })
      .filter((entry) => entry.method === 'GET')
      .map((entry) => entry.rawPath);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths).toEqual([...new Set(paths)]);
  });

  it('drops the cached reads a write changes for every replica at once', async () => {
    const rules = async (gateway: number) =>
      (await stack.gql(RULES, { variables: { id: V5 }, token: stack.tokens.viewer, gateway })).body.data
        .deployment.rules;
    for (let gateway = 0; gateway < REPLICAS; gateway++) await rules(gateway);
    expect((await rules(3)).freshness.source).toBe('CACHE');
    const created = await mutate(
      stack,
      `mutation { createRule(deploymentId: "${V5}", id: "topology-${name}", input: { sql: "SELECT * FROM \\"t/#\\"", actions: [] }) { __typename } }`,
    );
    expect(created.__typename).toBe('CreateRuleSuccess');
    for (let gateway = 1; gateway < REPLICAS; gateway++)
      expect((await rules(gateway)).edges.map((edge: any) => edge.node.id)).toContain(`topology-${name}`);
  });

  it('shows a lifecycle change made on one replica on every other one', async () => {
    const stop = `mutation { stopDeployment(deploymentId: "${V5}") { __typename } }`;
    expect((await stack.gql(stop, { gateway: 0 })).body.data.stopDeployment.__typename).toBe(
      'StopDeploymentSuccess',
    );
    for (let gateway = 1; gateway < REPLICAS; gateway++)
      expect((await stack.gql(STATUS, { gateway })).body.data.deployment.status).toBe('STOPPING');
  });

  it('logged no Redis redirection or slot error, and never fell back to a replica’s own memory', () => {
    const lines = stack.logs.flatMap((log) => log.lines);
    expect(lines.join('\n')).not.toMatch(/MOVED|ASK |CROSSSLOT|CLUSTERDOWN|TRYAGAIN|READONLY|NOSCRIPT/);
    expect(lines.filter((line) => line.includes('serving from this replica until it recovers'))).toEqual([]);
  });
});
