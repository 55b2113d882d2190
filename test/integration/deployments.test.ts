import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

const LIST = `query($first: Int, $after: String, $filter: DeploymentFilter) {
  deployments(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id deploymentId name type status platform region projectName version connectionsLimit tps createdAt freshness { source fetchedAt ageSeconds } } }
  }
}`;

const platformCalls = (stack: Stack, path = '/deployments') =>
  stack.sim.requestLog.entries({ target: 'platform' }).filter((e) => e.rawPath.endsWith(path)).length;

describe('deployments over the platform API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('refuses a request without a valid token with 401 and no upstream call', async () => {
    for (const token of [null, 'not-a-key', `${stack.tokens.admin}x`]) {
      const result = await stack.gql('{ deployments { totalCount } }', { token });
      expect(result.status).toBe(401);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('lists every seeded deployment with the platform fields mapped', async () => {
    const { body } = await stack.gql(LIST, { token: stack.tokens.viewer });
    expect(body.errors).toBeUndefined();
    const nodes = body.data.deployments.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.deploymentId).sort()).toEqual(
      stack.sim
        .deployments()
        .map((d) => d.id)
        .sort(),
    );
    expect(body.data.deployments.totalCount).toBe(5);
    const legacy = nodes.find((n: any) => n.deploymentId === 'e5f6a7b8');
    expect(legacy).toMatchObject({
      name: 'legacy-v4',
      type: 'DEDICATED',
      status: 'RUNNING',
      platform: 'Azure',
      region: 'West Europe (westeurope)',
      projectName: 'production',
      version: 'V4',
      connectionsLimit: 5000,
      tps: 5000,
      createdAt: '2023-06-02T14:07:00.000Z',
    });
    expect(nodes.find((n: any) => n.deploymentId === 'd7e8f9a0')).toMatchObject({
      type: 'DEDICATED_FLEX',
      status: 'STOPPED',
    });
    expect(nodes.find((n: any) => n.deploymentId === 'c9d0e1f2')).toMatchObject({
      type: 'SERVERLESS',
      version: 'V5',
    });
  });

  it('serves repeated queries from the cache: one platform call for many queries', async () => {
    stack.sim.requestLog.clear();
    await stack.gateways[0]!.services.cache.invalidate('deployments:list');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => stack.gql(LIST, { token: stack.tokens.viewer })),
    );
    expect(results.every((r) => r.body.data?.deployments.totalCount === 5)).toBe(true);
    expect(platformCalls(stack)).toBe(1);
    const again = await stack.gql(LIST);
    expect(again.body.data.deployments.edges[0].node.freshness.source).toBe('CACHE');
    expect(platformCalls(stack)).toBe(1);
  });

  it('filters by status, type, project and name', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ status: ['STOPPED'] }, ['d7e8f9a0', 'f3a4b5c6']],
      [{ type: ['SERVERLESS', 'DEDICATED_FLEX'] }, ['c9d0e1f2', 'd7e8f9a0']],
      [{ projectName: 'staging' }, ['c9d0e1f2', 'f3a4b5c6']],
      [{ nameContains: 'V4' }, ['e5f6a7b8', 'f3a4b5c6']],
      [{ status: ['RUNNING'], projectName: 'production' }, ['a1b2c3d4', 'e5f6a7b8']],
    ];
    for (const [filter, ids] of cases) {
      const { body } = await stack.gql(LIST, { variables: { filter } });
      expect(body.data.deployments.edges.map((e: any) => e.node.deploymentId)).toEqual(ids);
    }
  });

  it('pages with first/after and visits each deployment once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { body }: { body: any } = await stack.gql(LIST, { variables: { first: 2, after } });
      seen.push(...body.data.deployments.edges.map((e: any) => e.node.deploymentId));
      if (!body.data.deployments.pageInfo.hasNextPage) break;
      after = body.data.deployments.pageInfo.endCursor;
    }
    expect(seen).toEqual([...new Set(seen)]);
    expect(seen).toHaveLength(5);
  });

  it('refuses first above 100 with BAD_USER_INPUT', async () => {
    const { body } = await stack.gql(LIST, { variables: { first: 101 } });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gets one deployment, and answers null with NOT_FOUND for an unknown one', async () => {
    const found = await stack.gql('{ deployment(deploymentId: "a1b2c3d4") { name status version } }');
    expect(found.body.data.deployment).toEqual({ name: 'factory-v5', status: 'RUNNING', version: 'V5' });
    const missing = await stack.gql('{ deployment(deploymentId: "zzzz9999") { name } }');
    expect(missing.body.data.deployment).toBeNull();
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(missing.body.errors?.[0]?.path).toEqual(['deployment']);
  });

  it('resolves node(id:) for a deployment', async () => {
    const { body } = await stack.gql('{ deployment(deploymentId: "e5f6a7b8") { id } }');
    const id = body.data.deployment.id;
    const node = await stack.gql(
      'query($id: ID!) { node(id: $id) { id ... on Deployment { deploymentId } } }',
      { variables: { id } },
    );
    expect(node.body.data.node).toEqual({ id, deploymentId: 'e5f6a7b8' });
  });

  it('hides deployments outside the caller’s projects, exactly as missing ones', async () => {
    const token = stack.tokens.stagingOperator;
    const { body } = await stack.gql(LIST, { token });
    expect(body.data.deployments.edges.map((e: any) => e.node.projectName)).toEqual(['staging', 'staging']);
    const hidden = await stack.gql('{ deployment(deploymentId: "a1b2c3d4") { name } }', { token });
    const missing = await stack.gql('{ deployment(deploymentId: "zzzz9999") { name } }', { token });
    expect(hidden.body.data.deployment).toBeNull();
    expect(hidden.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(hidden.body.errors?.[0]?.message).toBe(
      missing.body.errors?.[0]?.message.replace('zzzz9999', 'a1b2c3d4'),
    );
    const adminView = await stack.gql('{ deployment(deploymentId: "a1b2c3d4") { id } }');
    const node = await stack.gql('query($id: ID!) { node(id: $id) { id } }', {
      token,
      variables: { id: adminView.body.data.deployment.id },
    });
    expect(node.body.data.node).toBeNull();
  });

  it('maps a platform status it does not know to UNKNOWN without failing', async () => {
    await stack.sim.setStatus('f3a4b5c6', 'upgrading');
    await stack.gateways[0]!.services.cache.invalidate('deployments:list');
    const { body } = await stack.gql('{ deployment(deploymentId: "f3a4b5c6") { status } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.deployment.status).toBe('UNKNOWN');
    expect(stack.logs[0]!.text()).toContain('"rawStatus":"upgrading"');
    await stack.sim.setStatus('f3a4b5c6', 'stopped');
  });

  it('reports the fleet-wide quota left per platform endpoint, counting each platform call once', async () => {
    const QUOTAS = '{ upstreamQuotas { endpoint limit remaining windowSeconds resetsAt } }';
    const read = async () => {
      const { body } = await stack.gql(QUOTAS, { token: stack.tokens.viewer });
      return Object.fromEntries(body.data.upstreamQuotas.map((q: any) => [q.endpoint, q]));
    };
    const before = await read();
    expect(Object.keys(before).sort()).toEqual([
      'createDeployment',
      'getDeployment',
      'listDeployments',
      'startDeployment',
      'stopDeployment',
    ]);
    expect(before.startDeployment).toMatchObject({
      limit: 5,
      remaining: 5,
      windowSeconds: 3600,
      resetsAt: null,
    });
    const callsBefore = platformCalls(stack);
    await stack.gateways[0]!.services.cache.invalidate('deployments:list');
    await stack.gql(LIST);
    const after = await read();
    expect(platformCalls(stack)).toBe(callsBefore + 1);
    expect(after.listDeployments.limit).toBe(60);
    expect(after.listDeployments.remaining).toBe(before.listDeployments.remaining - 1);
    expect(after.listDeployments.resetsAt).not.toBeNull();
  });
});
