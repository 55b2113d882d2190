import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Fan-out across deployments: each failing deployment answers its own error on its own path while the
 * others return their data, and a hanging one costs the query no more than the per-call timeout.
 */

const HEALTHY = 'e5f6a7b8';
const FAILING = 'a1b2c3d4';
const HANGING = 'd7e8f9a0';
const STOPPED = 'f3a4b5c6';
const UNCONFIGURED = 'c9d0e1f2';

const DASHBOARD = `{ deployments(first: 10) { edges { node { deploymentId
  clients(first: 5) { totalCount edges { node { clientId } } }
  stats { connections }
} } } }`;

describe('broker fan-out with failing deployments', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.upstream.timeoutMs = 800;
        delete config.deployments[UNCONFIGURED];
      },
    });
    await stack.sim.setStatus(HANGING, 'running');
  });
  afterAll(() => stack?.close());

  it('answers each deployment on its own path and returns within the timeout', {
    timeout: 6_000,
  }, async () => {
    stack.sim.faults.set(FAILING, { status: 503, body: '{"code":"SERVICE_UNAVAILABLE","message":"busy"}' });
    stack.sim.faults.set(HANGING, { hang: true });
    const { body } = await stack.gql(DASHBOARD, { token: stack.tokens.viewer });

    const nodes = body.data.deployments.edges.map((e: any) => e.node);
    const byId = Object.fromEntries(
      nodes.map((n: any, i: number) => [n.deploymentId, { node: n, index: i }]),
    );
    const codeOf = (id: string, field: string) =>
      body.errors?.find((e) => e.path?.[2] === byId[id].index && e.path?.[4] === field)?.extensions?.code;

    expect(byId[HEALTHY].node.clients).toMatchObject({ totalCount: 0, edges: [] });
    expect(byId[HEALTHY].node.stats.connections).toBe(0);
    for (const [id, code] of [
      [FAILING, 'UPSTREAM_UNAVAILABLE'],
      [HANGING, 'UPSTREAM_UNAVAILABLE'],
      [STOPPED, 'DEPLOYMENT_NOT_RUNNING'],
      [UNCONFIGURED, 'BROKER_NOT_CONFIGURED'],
    ] as const) {
      expect(byId[id].node).toMatchObject({ deploymentId: id, clients: null, stats: null });
      expect(codeOf(id, 'clients')).toBe(code);
      expect(codeOf(id, 'stats')).toBe(code);
    }
    expect(stack.sim.requestLog.count({ target: STOPPED })).toBe(0);
    expect(stack.sim.requestLog.count({ target: UNCONFIGURED })).toBe(0);
  });

  it('maps a v4 error inside HTTP 200 and a v5 4xx to UPSTREAM_ERROR with the upstream code', async () => {
    stack.sim.faults.clear();
    stack.sim.faults.set(HEALTHY, { status: 200, body: '{"code":102,"message":"unknown"}' });
    stack.sim.faults.set(FAILING, { status: 400, body: '{"code":"BAD_REQUEST","message":"nope"}' });
    const { body } = await stack.gql(
      `{ v4: deployment(deploymentId: "${HEALTHY}") { nodes { name } }
         v5: deployment(deploymentId: "${FAILING}") { nodes { name } } }`,
    );
    const byPath = Object.fromEntries((body.errors ?? []).map((e) => [e.path?.[0], e.extensions]));
    expect(byPath.v4).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: '102' });
    expect(byPath.v5).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'BAD_REQUEST' });
    expect(body.data).toEqual({ v4: { nodes: null }, v5: { nodes: null } });
  });
});
