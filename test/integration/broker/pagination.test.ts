import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from './devices.ts';

/** Relay paging over EMQX page/limit, the same on v4 and v5: every client once, one call per page. */

const TOTAL = 120;
const ids = Array.from({ length: TOTAL }, (_, i) => `pg-${String(i).padStart(3, '0')}`);

const PAGE = `query($id: String!, $first: Int, $after: String) { deployment(deploymentId: $id) {
  clients(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { clientId } } } } }`;

describe.each([
  ['v4', 'e5f6a7b8'],
  ['v5', 'a1b2c3d4'],
])('paging clients on a %s deployment', (_, deploymentId) => {
  let stack: Stack;
  let devices: Devices;

  beforeAll(async () => {
    stack = await startStack();
    devices = await connectDevices(
      stack,
      deploymentId,
      ids.map((clientId) => ({ clientId })),
    );
  });
  afterAll(async () => {
    await devices?.close();
    await stack?.close();
  });

  const page = async (first: number, after: string | null) => {
    const { body } = await stack.gql(PAGE, { variables: { id: deploymentId, first, after } });
    expect(body.errors).toBeUndefined();
    return body.data.deployment.clients;
  };

  it('walks all 120 clients with first: 25, visiting each once, one EMQX page per Relay page', async () => {
    stack.sim.requestLog.clear();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const connection: any = await page(25, after);
      pages++;
      expect(connection.totalCount).toBe(TOTAL);
      seen.push(...connection.edges.map((e: any) => e.node.clientId));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(TOTAL);
    expect([...new Set(seen)].sort()).toEqual(ids);
    const sent = stack.sim.requestLog.entries({ target: deploymentId });
    expect(sent).toHaveLength(5);
    const paging = sent.map((e) => new URLSearchParams(e.query));
    const limitKey = deploymentId === 'e5f6a7b8' ? '_limit' : 'limit';
    expect(paging.map((q) => q.get(limitKey))).toEqual(['25', '25', '25', '25', '25']);
  });

  it('serves a window that straddles EMQX pages from one larger page', async () => {
    const all = await page(30, null);
    const window = await page(10, all.edges[13].cursor);
    expect(window.edges.map((e: any) => e.node.clientId)).toEqual(
      all.edges.slice(14, 24).map((e: any) => e.node.clientId),
    );
    expect(window.pageInfo.hasNextPage).toBe(true);
  });
});
