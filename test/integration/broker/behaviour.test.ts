import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevices, type Devices } from './devices.ts';

/**
 * One table of expectations, two adapters: the same GraphQL queries against a v4 and a v5 deployment of
 * the simulator, with real MQTT devices connected, must give the same answers. Only `version` and the
 * fields a version lacks (NOT_SUPPORTED on that field alone) may differ.
 */

const V4 = 'e5f6a7b8';
const V5 = 'a1b2c3d4';

const VERSIONS = [
  { label: 'v4', deploymentId: V4, version: 'V4', onlyHere: ['plugins', 'listeners', 'resources'] },
  {
    label: 'v5',
    deploymentId: V5,
    version: 'V5',
    // v5 lists listeners too (GET /listeners); plugins and resources are v4's.
    onlyHere: ['listeners', 'retainedMessages', 'authnUsers', 'authzRules', 'actions', 'connectors'],
  },
] as const;

const VERSION_ONLY_FIELDS: Record<string, string> = {
  plugins: 'plugins { id node }',
  listeners: 'listeners { id type node }',
  resources: 'resources { id type }',
  retainedMessages: 'retainedMessages(first: 5) { totalCount edges { node { topic } } }',
  authnUsers: 'authnUsers(first: 5) { totalCount edges { node { userId } } }',
  authzRules:
    'authzRules(kind: USERNAME, first: 5) { edges { node { who rules { topic permission action qos retain } } } }',
  actions: 'actions { id status }',
  connectors: 'connectors { id status }',
};

const CLIENT_FIELDS = `id clientId username node connected ipAddress port protoName protoVer keepalive cleanStart
  expiryInterval connectedAt disconnectedAt createdAt subscriptionsCount inflightCount mqueueLength mqueueDropped
  receivedMessages sentMessages receivedBytes sentBytes deployment { deploymentId } freshness { source }`;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(VERSIONS)('broker data on a $label deployment', ({ deploymentId, version, onlyHere }) => {
  let stack: Stack;
  let devices: Devices;
  let username: string;

  const query = async (fields: string) => {
    const result = await stack.gql(`query($id: String!) { deployment(deploymentId: $id) { ${fields} } }`, {
      variables: { id: deploymentId },
      token: stack.tokens.viewer,
    });
    return result.body;
  };
  const data = async (fields: string) => {
    const body = await query(fields);
    expect(body.errors).toBeUndefined();
    return body.data.deployment;
  };

  beforeAll(async () => {
    stack = await startStack();
    username = stack.sim.deployment(deploymentId)?.mqttUsers[0]?.username as string;
    devices = await connectDevices(stack, deploymentId, [
      {
        clientId: 'bhv-1',
        topics: [
          { topic: 't/1', qos: 1 },
          { topic: '$share/grp/t/shared', qos: 0 },
        ],
      },
      { clientId: 'bhv/2', topics: [{ topic: 't/#', qos: 2 }] },
      { clientId: 'bhv-3' },
      { clientId: 'bhv 4 ü' },
    ]);
  });
  afterAll(async () => {
    await devices?.close();
    await stack?.close();
  });

  it('shows the version only where asked', async () => {
    expect((await data('version')).version).toBe(version);
  });

  it('lists the connected clients with every field mapped the same way', async () => {
    const d = await data(
      `clients(first: 10, filter: { clientIdContains: "bhv" }) { totalCount freshness { source }
        edges { cursor node { ${CLIENT_FIELDS} } } }`,
    );
    const nodes = d.clients.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.clientId).sort()).toEqual(['bhv 4 ü', 'bhv-1', 'bhv-3', 'bhv/2']);
    expect(d.clients.totalCount).toBeNull(); // fuzzy filter: neither version counts
    for (const n of nodes) {
      expect(n).toMatchObject({
        username,
        connected: true,
        ipAddress: '127.0.0.1',
        protoName: 'MQTT',
        protoVer: 4,
        keepalive: 60,
        disconnectedAt: null,
        inflightCount: 0,
        deployment: { deploymentId },
      });
      expect(n.connectedAt).toMatch(ISO);
      expect(n.createdAt).toMatch(ISO);
      expect(Math.abs(Date.parse(n.connectedAt) - Date.now())).toBeLessThan(10 * 60_000);
    }
    expect(nodes.find((n: any) => n.clientId === 'bhv-1').subscriptionsCount).toBe(2);
  });

  it('finds one client by ID, percent-encoding IDs with slashes and spaces, and null for an unknown one', async () => {
    const d = await data(
      `a: client(clientId: "bhv/2") { clientId subscriptions { clientId topic qos shareGroup } }
       b: client(clientId: "bhv 4 ü") { clientId connected }
       c: client(clientId: "no-such-client") { clientId }`,
    );
    expect(d.a).toEqual({
      clientId: 'bhv/2',
      subscriptions: [{ clientId: 'bhv/2', topic: 't/#', qos: 2, shareGroup: null }],
    });
    expect(d.b).toEqual({ clientId: 'bhv 4 ü', connected: true });
    expect(d.c).toBeNull();
  });

  it("splits a shared subscription's group from its topic", async () => {
    const d = await data('client(clientId: "bhv-1") { subscriptions { topic qos shareGroup node } }');
    const subs = [...d.client.subscriptions].sort((a: any, b: any) => a.topic.localeCompare(b.topic));
    expect(subs).toMatchObject([
      { topic: 't/1', qos: 1, shareGroup: null },
      { topic: 't/shared', qos: 0, shareGroup: 'grp' },
    ]);
    expect(subs[0].node).toEqual(expect.any(String));
  });

  it('lists subscriptions with filters, each leading to its client', async () => {
    const d = await data(
      `all: subscriptions(first: 50) { edges { node { clientId topic } } }
       mine: subscriptions(first: 10, filter: { clientId: "bhv-1" }) { totalCount edges { node { topic client { clientId } } } }
       q2: subscriptions(first: 10, filter: { qos: 2 }) { edges { node { clientId topic } } }`,
    );
    expect(d.all.edges.length).toBe(3);
    expect(d.mine.edges.map((e: any) => e.node.topic).sort()).toEqual(['t/1', 't/shared']);
    expect(d.mine.edges.every((e: any) => e.node.client.clientId === 'bhv-1')).toBe(true);
    expect(d.q2.edges.map((e: any) => e.node)).toEqual([{ clientId: 'bhv/2', topic: 't/#' }]);
  });

  it('filters clients by exact fields', async () => {
    const d = await data(
      `byUser: clients(first: 10, filter: { username: "${username}", clientIdContains: "bhv" }) { edges { node { clientId } } }
       byIds: clients(first: 10, filter: { clientIds: ["bhv-1", "bhv-3", "nobody"] }) { totalCount edges { node { clientId } } }
       byState: clients(first: 10, filter: { connState: DISCONNECTED }) { edges { node { clientId } } }`,
    );
    expect(d.byUser.edges.length).toBe(4);
    expect(d.byIds.edges.map((e: any) => e.node.clientId).sort()).toEqual(['bhv-1', 'bhv-3']);
    expect(d.byState.edges).toEqual([]);
  });

  it('resolves an MqttClient global ID through node(id:)', async () => {
    const d = await data('client(clientId: "bhv-3") { id }');
    const again = await stack.gql(
      'query($gid: ID!) { node(id: $gid) { id ... on MqttClient { clientId deployment { deploymentId } } } }',
      { variables: { gid: d.client.id }, token: stack.tokens.viewer },
    );
    expect(again.body.data.node).toEqual({
      id: d.client.id,
      clientId: 'bhv-3',
      deployment: { deploymentId },
    });
  });

  it('reports nodes, stats, metrics and alarms in the same shapes', async () => {
    const d = await data(
      `nodes { name status version uptimeSeconds connections }
       stats { connections subscriptions topics retained sessions raw freshness { source fetchedAt } }
       metrics { messagesReceived messagesSent messagesDropped raw }
       alarms { name message node activatedAt deactivatedAt }
       active: alarms(activated: true) { name }`,
    );
    expect(d.nodes).toHaveLength(1);
    expect(d.nodes[0]).toMatchObject({ status: 'running', version: expect.any(String) });
    expect(d.nodes[0].uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(d.nodes[0].connections).toBeGreaterThanOrEqual(4);
    expect(d.stats.connections).toBeGreaterThanOrEqual(4);
    expect(d.stats.subscriptions).toBeGreaterThanOrEqual(3);
    expect(d.stats.raw['connections.count']).toBe(d.stats.connections);
    expect(d.metrics.messagesReceived).toEqual(expect.any(Number));
    expect(Array.isArray(d.alarms)).toBe(true);
    for (const alarm of d.active) expect(d.alarms.map((a: any) => a.name)).toContain(alarm.name);
  });

  it('lists rules and bans, and answers null for an unknown rule', async () => {
    const d = await data(
      `rules(first: 5) { totalCount pageInfo { hasNextPage } edges { node { id sql topics enabled } } }
       rule(id: "no-such-rule") { id }
       bans(first: 5) { totalCount pageInfo { hasNextPage } edges { node { kind who until } } }`,
    );
    expect(d.rules).toMatchObject({ totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] });
    expect(d.rule).toBeNull();
    expect(d.bans).toMatchObject({ totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] });
  });

  it.each(Object.keys(VERSION_ONLY_FIELDS))(
    'answers %s, or NOT_SUPPORTED on that field alone',
    async (field) => {
      const body = await query(`deploymentId ${VERSION_ONLY_FIELDS[field]}`);
      if ((onlyHere as readonly string[]).includes(field)) {
        expect(body.errors).toBeUndefined();
        expect(body.data.deployment[field]).not.toBeNull();
      } else {
        const error = body.errors?.find((e) => e.path?.[1] === field);
        expect(error?.extensions?.code).toBe('NOT_SUPPORTED');
        expect(body.data.deployment).toMatchObject({ deploymentId, [field]: null });
      }
    },
  );
});
