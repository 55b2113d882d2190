import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from './devices.ts';

/**
 * What the gateway costs EMQX, with the simulator's request log as the oracle: batched lookups, the
 * documented minimum for a page of clients with their subscriptions, nothing at all within the TTL, and one
 * call for many identical concurrent requests.
 */

const V4 = 'e5f6a7b8';
const V5 = 'a1b2c3d4';
const CLIENTS = 50;
const ids = Array.from({ length: CLIENTS }, (_, i) => `cc-${String(i).padStart(2, '0')}`);

const PAGE_WITH_SUBSCRIPTIONS = `query($id: String!) { deployment(deploymentId: $id) {
  clients(first: 50, filter: { clientIdContains: "cc-" }) {
    freshness { source }
    edges { node { clientId connected subscriptions { topic qos } } }
  } } }`;

describe('upstream calls for broker data', () => {
  let stack: Stack;
  const devices: Devices[] = [];
  const calls = (deploymentId: string, pathIncludes?: string) =>
    stack.sim.requestLog.entries({ target: deploymentId, ...(pathIncludes ? { pathIncludes } : {}) });

  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        // Long enough that "again within the TTL" cannot expire on a slow machine.
        config.cache.brokerTtlSeconds = 60;
      },
    });
    for (const deploymentId of [V4, V5]) {
      devices.push(
        await connectDevices(
          stack,
          deploymentId,
          ids.map((clientId, i) => ({
            clientId,
            topics: [
              { topic: `cc/${i}/cmd`, qos: 1 as const },
              ...(i % 2 ? [{ topic: 'cc/all', qos: 0 as const }] : []),
            ],
          })),
        ),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    await stack?.close();
  });

  const tenLookups = (deploymentId: string) =>
    stack.gql(
      `{ deployment(deploymentId: "${deploymentId}") { ${ids
        .slice(0, 10)
        .map((id, i) => `c${i}: client(clientId: "${id}") { clientId }`)
        .join(' ')} } }`,
    );

  it('sends 10 client lookups of one query to a v5 broker as one request', async () => {
    stack.sim.requestLog.clear();
    const { body } = await tenLookups(V5);
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data.deployment).map((c: any) => c.clientId)).toEqual(ids.slice(0, 10));
    const sent = calls(V5);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.rawPath).toBe('/api/v5/clients');
    expect(new URLSearchParams(sent[0]?.query).getAll('clientid').sort()).toEqual(ids.slice(0, 10));
  });

  it('sends them to a v4 broker as one request per client (v4 has no multi-ID read)', async () => {
    stack.sim.requestLog.clear();
    const { body } = await tenLookups(V4);
    expect(body.errors).toBeUndefined();
    expect(
      calls(V4)
        .map((e) => e.rawPath)
        .sort(),
    ).toEqual(ids.slice(0, 10).map((id) => `/api/v4/clients/${id}`));
  });

  it.each([
    ['v4', V4],
    ['v5', V5],
  ])(
    'reads a %s page of 50 clients with subscriptions in 2 calls, then 0 within the TTL',
    async (_, deploymentId) => {
      stack.sim.requestLog.clear();
      const first = await stack.gql(PAGE_WITH_SUBSCRIPTIONS, { variables: { id: deploymentId } });
      expect(first.body.errors).toBeUndefined();
      const clients = first.body.data.deployment.clients;
      expect(clients.edges).toHaveLength(CLIENTS);
      for (const { node } of clients.edges) {
        const i = Number(node.clientId.slice(3));
        const expected = i % 2 ? [`cc/${i}/cmd`, 'cc/all'] : [`cc/${i}/cmd`];
        expect(node.subscriptions.map((s: any) => s.topic).sort()).toEqual(expected);
      }
      // The documented minimum: one page of clients, one read of the subscription table (sent together, so
      // in either order; test/integration/broker/cold-fan-out.test.ts checks they overlap).
      expect(
        calls(deploymentId)
          .map((e) => e.rawPath.replace(/^\/api\/v[45]/, ''))
          .sort(),
      ).toEqual(['/clients', '/subscriptions']);

      stack.sim.requestLog.clear();
      const again = await stack.gql(PAGE_WITH_SUBSCRIPTIONS, { variables: { id: deploymentId } });
      expect(again.body.data).toEqual({
        deployment: { clients: { ...clients, freshness: { source: 'CACHE' } } },
      });
      expect(calls(deploymentId)).toHaveLength(0);
    },
  );

  it('coalesces identical concurrent requests from many dashboards into one call', async () => {
    stack.sim.requestLog.clear();
    const query = `{ deployment(deploymentId: "${V5}") { stats { connections } clients(first: 7) { edges { node { clientId } } } } }`;
    const results = await Promise.all(
      Array.from({ length: 30 }, () => stack.gql(query, { token: stack.tokens.viewer })),
    );
    expect(results.every((r) => r.body.data?.deployment.stats.connections >= CLIENTS)).toBe(true);
    expect(calls(V5, '/stats')).toHaveLength(1);
    expect(calls(V5, '/clients')).toHaveLength(1);
  });

  it('asks a v5 broker only for the client fields the query selects', async () => {
    stack.sim.requestLog.clear();
    await stack.gql(
      `{ deployment(deploymentId: "${V5}") { clients(first: 3) { edges { node { clientId sentBytes } } } } }`,
    );
    expect(new URLSearchParams(calls(V5)[0]?.query).get('fields')).toBe('clientid,send_oct');
  });

  it('batches the clients behind a page of subscriptions into one v5 lookup', async () => {
    stack.sim.requestLog.clear();
    const { body } = await stack.gql(`{ deployment(deploymentId: "${V5}") {
      subscriptions(first: 30, filter: { topic: "cc/all" }) { edges { node { clientId client { clientId connected } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.deployment.subscriptions.edges).toHaveLength(CLIENTS / 2);
    expect(calls(V5).map((e) => e.rawPath)).toEqual(['/api/v5/subscriptions', '/api/v5/clients']);
  });

  it('refuses a page deeper than the configured limit without calling EMQX', async () => {
    stack.sim.requestLog.clear();
    const deep = Buffer.from('OffsetConnection:20000').toString('base64');
    const { body } = await stack.gql(
      `query($after: String) { deployment(deploymentId: "${V5}") { clients(first: 10, after: $after) { edges { cursor } } } }`,
      { variables: { after: deep } },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.path).toEqual(['deployment', 'clients']);
    expect(calls(V5)).toHaveLength(0);
  });
});
