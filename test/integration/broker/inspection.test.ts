import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { connectDevice, mutate, result, V4, V5 } from './mutations/helpers.ts';

/**
 * Looking inside a running broker through GraphQL: the routing table, a client's authorization cache and
 * session queues, one node's counters, rule events, the v4 API index and v5 listeners. The simulator's
 * request log is the oracle for what was asked of EMQX.
 */

let stack: Stack;
const devices: MqttClient[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await Promise.all(devices.map((d) => d.endAsync(true)));
  await stack?.close();
});
beforeEach(() => stack.sim.requestLog.clear());

const device = async (id: string, clientId: string, options = {}) => {
  const client = await connectDevice(stack, id, clientId, options);
  devices.push(client);
  return client;
};

/** The GET requests the simulator got for a deployment: `METHOD path?query`. */
const reads = (id: string) =>
  stack.sim.requestLog
    .entries({ target: id })
    .filter((e) => e.method === 'GET')
    .map((e) => `${e.rawPath}${e.query ? `?${e.query}` : ''}`);

async function deploymentField(id: string, selection: string, token = stack.tokens.viewer) {
  const { body } = await stack.gql(`query($id: String!) { deployment(deploymentId: $id) { ${selection} } }`, {
    variables: { id },
    token,
  });
  return { data: body.data?.deployment, errors: body.errors ?? [] };
}

const codes = (errors: Array<{ extensions?: Record<string, unknown> }>) =>
  errors.map((e) => e.extensions?.code);

describe.each([
  { version: 'v4', id: V4, prefix: '/api/v4', list: '/routes', one: '/routes/' },
  { version: 'v5', id: V5, prefix: '/api/v5', list: '/topics', one: '/topics/' },
])('routes on $version', ({ version, id, prefix, list, one }) => {
  const topic = `plant/${version}/+/temp`;
  const encoded = encodeURIComponent(topic);

  it('lists a topic filter once a real client subscribes to it, from the routing table', async () => {
    const missing = await deploymentField(
      id,
      `routes(topic: "${topic}") { totalCount edges { node { topic } } }`,
    );
    expect(missing.data.routes).toEqual({ totalCount: 0, edges: [] });
    expect(reads(id)).toEqual([`${prefix}${one}${encoded}`]);

    const sensor = await device(id, `route-${version}`);
    await sensor.subscribeAsync(topic, { qos: 1 });
    stack.sim.requestLog.clear();
    // The first read is still cached (broker TTL); a subscribe made through the gateway drops it.
    await mutate(
      stack,
      `mutation($id: String!) { subscribeClient(deploymentId: $id, clientId: "route-${version}", topic: "other/${version}") { __typename } }`,
      { id },
    );
    const found = await deploymentField(id, `routes(topic: "${topic}") { edges { node { topic node } } }`);
    const node = (await deploymentField(id, 'nodes { name }')).data.nodes[0].name;
    expect(found.data.routes.edges).toEqual([{ node: { topic, node } }]);

    const all = await deploymentField(id, 'routes(first: 50) { totalCount edges { node { topic } } }');
    const topics = all.data.routes.edges.map((e: { node: { topic: string } }) => e.node.topic);
    expect(topics).toEqual(expect.arrayContaining([topic, `other/${version}`]));
    expect(all.data.routes.totalCount).toBe(topics.length);
    const paging = version === 'v4' ? '_page=1&_limit=50' : 'page=1&limit=50';
    expect(reads(id)).toContain(`${prefix}${list}?${paging}`);
  });

  it('refuses a topic with a dot segment before any call', async () => {
    const refused = await deploymentField(id, 'routes(topic: "a/../b") { totalCount }');
    expect(codes(refused.errors)).toEqual(['BAD_USER_INPUT']);
    expect(reads(id)).toEqual([]);
  });
});

describe.each([
  { version: 'v4', id: V4, path: (c: string) => `/api/v4/clients/${c}/acl_cache` },
  { version: 'v5', id: V5, path: (c: string) => `/api/v5/clients/${c}/authorization/cache` },
])('MqttClient.authorizationCache on $version', ({ version, id, path }) => {
  it("lists the client's cached decisions", async () => {
    const clientId = `cache-${version}`;
    const client = await device(id, clientId);
    await client.publishAsync(`cache/${version}`, 'x', { qos: 1 });
    const { data } = await deploymentField(
      id,
      `client(clientId: "${clientId}") { authorizationCache { access topic result updatedAt } }`,
    );
    expect(data.client.authorizationCache).toContainEqual({
      access: 'publish',
      topic: `cache/${version}`,
      result: 'allow',
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(reads(id)).toContain(path(clientId));
  });

  it('is null for a session whose client is not connected', async () => {
    const clientId = `cache-off-${version}`;
    const client = await connectDevice(stack, id, clientId, { clean: false });
    await client.endAsync();
    const { data, errors } = await deploymentField(
      id,
      `client(clientId: "${clientId}") { connected authorizationCache { topic } }`,
    );
    expect(errors).toEqual([]);
    expect(data.client).toEqual({ connected: false, authorizationCache: null });
  });
});

describe('MqttClient.mqueueMessages and inflightMessages (v5)', () => {
  const QUEUE = (field: string, after = '') =>
    `client(clientId: "stuck-1") { ${field}(first: 2${after ? `, after: "${after}"` : ''}) {
      edges { cursor node { topic qos payload fromClientId } } pageInfo { hasNextPage endCursor } } }`;

  it('pages through the messages a client has not acknowledged, by EMQX position', async () => {
    const stuck = await device(V5, 'stuck-1');
    stuck.handleMessage = () => {}; // never acknowledges
    await stuck.subscribeAsync('stuck/#', { qos: 1 });
    for (const payload of ['a', 'b', 'c'])
      await mutate(
        stack,
        `mutation { publish(deploymentId: "${V5}", input: { topic: "stuck/1", payload: "${payload}", qos: 1 }) { __typename } }`,
      );
    await expect
      .poll(
        async () =>
          (await deploymentField(V5, 'client(clientId: "stuck-1") { inflightCount }')).data.client
            .inflightCount,
      )
      .toBe(3);
    stack.sim.requestLog.clear();

    const first = (await deploymentField(V5, QUEUE('inflightMessages'), stack.tokens.operator)).data.client;
    expect(first.inflightMessages.edges.map((e: { node: { payload: string } }) => e.node.payload)).toEqual([
      Buffer.from('a').toString('base64'),
      Buffer.from('b').toString('base64'),
    ]);
    expect(first.inflightMessages.edges[0].node).toMatchObject({ topic: 'stuck/1', qos: 1 });
    expect(first.inflightMessages.pageInfo.hasNextPage).toBe(true);
    expect(reads(V5)).toEqual([
      '/api/v5/clients/stuck-1/inflight_messages?position=none&limit=3&payload=base64',
    ]);

    const after = first.inflightMessages.pageInfo.endCursor;
    const second = (await deploymentField(V5, QUEUE('inflightMessages', after), stack.tokens.operator)).data
      .client;
    expect(second.inflightMessages.edges.map((e: { node: { payload: string } }) => e.node.payload)).toEqual([
      Buffer.from('c').toString('base64'),
    ]);
    expect(second.inflightMessages.pageInfo.hasNextPage).toBe(false);
  });

  it('lists what a disconnected persistent session has queued', async () => {
    const owner = await connectDevice(stack, V5, 'queued-1', { clean: false });
    await owner.subscribeAsync('queued/#', { qos: 1 });
    await owner.endAsync();
    await mutate(
      stack,
      `mutation { publish(deploymentId: "${V5}", input: { topic: "queued/x", payload: "later", qos: 1 }) { __typename } }`,
    );
    const { data } = await deploymentField(
      V5,
      'client(clientId: "queued-1") { mqueueMessages { edges { node { topic payload priority } } } }',
      stack.tokens.operator,
    );
    expect(data.client.mqueueMessages.edges).toEqual([
      { node: { topic: 'queued/x', payload: Buffer.from('later').toString('base64'), priority: '0' } },
    ]);
  });

  it('needs the operator role (payloads), refuses a bad cursor, and is NOT_SUPPORTED on v4', async () => {
    await device(V4, 'v4-queue');
    const viewer = await deploymentField(V5, QUEUE('inflightMessages'));
    expect(codes(viewer.errors)).toEqual(['FORBIDDEN']);
    const bad = await deploymentField(V5, QUEUE('mqueueMessages', '../x'), stack.tokens.operator);
    expect(codes(bad.errors)).toEqual(['BAD_USER_INPUT']);
    expect(reads(V5).filter((p) => p.includes('_messages'))).toEqual([]);
    const v4 = await deploymentField(
      V4,
      'client(clientId: "v4-queue") { clientId mqueueMessages { edges { cursor } } }',
      stack.tokens.operator,
    );
    expect(v4.data.client).toEqual({ clientId: 'v4-queue', mqueueMessages: null });
    expect(codes(v4.errors)).toEqual(['NOT_SUPPORTED']);
  });
});

describe.each([
  { version: 'v4', id: V4, prefix: '/api/v4' },
  { version: 'v5', id: V5, prefix: '/api/v5' },
])('per-node stats and metrics, rule events on $version', ({ version, id, prefix }) => {
  it('reads each node from its own endpoints', async () => {
    await device(id, `node-${version}`);
    const { data } = await deploymentField(
      id,
      'nodes { name stats { connections raw } metrics { messagesReceived raw } }',
    );
    const [node] = data.nodes;
    expect(node.stats.connections).toBeGreaterThanOrEqual(1);
    expect(node.stats.raw).toHaveProperty('connections.count');
    expect(node.metrics.raw).toHaveProperty('messages.received');
    expect(reads(id)).toEqual(
      expect.arrayContaining([`${prefix}/nodes/${node.name}/stats`, `${prefix}/nodes/${node.name}/metrics`]),
    );
  });

  it('lists the rule events with their columns', async () => {
    const { data } = await deploymentField(id, 'ruleEvents { event title columns sqlExample }');
    const connected = data.ruleEvents.find((e: { event: string }) => e.event === '$events/client_connected');
    expect(connected).toMatchObject({
      title: expect.any(String),
      sqlExample: expect.stringContaining('SELECT'),
    });
    expect(reads(id)).toEqual([`${prefix}/rule_events`]);
  });
});

describe('v4 API index and v5 listeners', () => {
  it('v4 lists its management routes from GET /api/v4; v5 says NOT_SUPPORTED', async () => {
    const { data } = await deploymentField(V4, 'brokerApiEndpoints { name method path }');
    expect(data.brokerApiEndpoints).toContainEqual({ name: 'list_routes', method: 'GET', path: '/routes/' });
    expect(reads(V4)).toEqual(['/api/v4']);
    const v5 = await deploymentField(V5, 'brokerApiEndpoints { name }');
    expect(codes(v5.errors)).toEqual(['NOT_SUPPORTED']);
  });

  it('v5 answers listeners with the type v4 uses', async () => {
    await device(V5, 'listener-1');
    const { data, errors } = await deploymentField(V5, 'listeners { id name type status enabled node raw }');
    expect(errors).toEqual([]);
    expect(data.listeners).toEqual([
      expect.objectContaining({
        id: 'tcp:default',
        name: 'default',
        type: 'tcp',
        status: 'running',
        enabled: true,
      }),
    ]);
    expect(data.listeners[0].raw.status.current_connections).toBeGreaterThanOrEqual(1);
    expect(reads(V5)).toEqual(['/api/v5/listeners']);
    const v4 = await deploymentField(V4, 'listeners { id type }');
    expect(v4.data.listeners.length).toBeGreaterThan(0);
  });
});

it('a cleared authorization cache shows as empty at once (the cached read is dropped)', async () => {
  const client = await device(V5, 'cache-drop');
  await client.publishAsync('drop/1', 'x', { qos: 1 });
  const query = 'client(clientId: "cache-drop") { authorizationCache { topic } }';
  expect((await deploymentField(V5, query)).data.client.authorizationCache).toHaveLength(1);
  const cleared = await mutate(
    stack,
    `mutation { clearAuthorizationCache(deploymentId: "${V5}", clientId: "cache-drop") ${result('ClearAuthorizationCacheSuccess', 'clientId')} }`,
  );
  expect(cleared).toEqual({ __typename: 'ClearAuthorizationCacheSuccess', clientId: 'cache-drop' });
  expect((await deploymentField(V5, query)).data.client.authorizationCache).toEqual([]);
});
