import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';
import { V4, V5 } from './broker/mutations/helpers.ts';

/**
 * Read paths are built with the same checked segment builder as writes: a value that would leave its route
 * (`.`, `..`, `%2e%2e`, `../x`, a lone surrogate) is BAD_USER_INPUT naming the argument, and the simulator's
 * request log shows no broker call. A value that is only odd (`a/b`) stays one encoded segment of its route.
 */

const q = (field: string) =>
  `query($id: String!, $v: String!) { deployment(deploymentId: $id) { ${field} } }`;

const READS: Record<string, { query: string; field: string; route: { v4: RegExp; v5: RegExp } | null }> = {
  client: {
    query: q('client(clientId: $v) { clientId }'),
    field: 'clientId',
    route: { v4: /^\/api\/v4\/clients\/a%2Fb$/, v5: /^\/api\/v5\/clients$/ },
  },
  clientsById: {
    query: q('clients(filter: { clientIds: [$v, "other"] }) { totalCount }'),
    field: 'filter.clientIds.0',
    route: { v4: /^\/api\/v4\/clients\/(a%2Fb|other)$/, v5: /^\/api\/v5\/clients$/ },
  },
  clientsOnNode: {
    query: q('clients(filter: { node: $v }) { totalCount }'),
    field: 'filter.node',
    route: null,
  },
  subscriptionsOfClient: {
    query: q('subscriptions(filter: { clientId: $v }) { totalCount }'),
    field: 'filter.clientId',
    route: { v4: /^\/api\/v4\/subscriptions$/, v5: /^\/api\/v5\/subscriptions$/ },
  },
  subscriptionsOnNode: {
    query: q('subscriptions(filter: { node: $v }) { totalCount }'),
    field: 'filter.node',
    route: null,
  },
  rule: { query: q('rule(id: $v) { id }'), field: 'id', route: null },
  retainedMessage: {
    query: q('retainedMessage(topic: $v) { topic }'),
    field: 'topic',
    route: { v4: /^$/, v5: /^\/api\/v5\/mqtt\/retainer\/message\/a%2Fb$/ },
  },
};

const ESCAPING = ['.', '..', '%2e%2e', '../x', '\ud800'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const brokerCalls = () => stack.sim.requestLog.entries().filter((e) => e.target === V4 || e.target === V5);

describe.each([
  { version: 'v4' as const, id: V4 },
  { version: 'v5' as const, id: V5 },
])('path-taking reads on $version', ({ version, id }) => {
  for (const [name, read] of Object.entries(READS)) {
    it.each(ESCAPING)(
      `read paths escaped their route: ${name} with %j is BAD_USER_INPUT and calls nothing`,
      async (v) => {
        const { body } = await stack.gql(read.query, { variables: { id, v } });
        const [error] = body.errors ?? [];
        expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: read.field });
        expect(brokerCalls()).toEqual([]);
      },
    );

    it(`${name} with "a/b" stays inside its route`, async () => {
      const { body } = await stack.gql(read.query, { variables: { id, v: 'a/b' } });
      const calls = brokerCalls().map((e) => e.rawPath);
      if (read.route === null) {
        // Rule ids and node names cannot hold a slash: refused before any call.
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: read.field });
        expect(calls).toEqual([]);
        return;
      }
      for (const path of calls) expect(path).toMatch(read.route[version]);
      if (version === 'v4' && name === 'retainedMessage') {
        expect(body.errors?.[0]?.extensions?.code).toBe('NOT_SUPPORTED');
      } else {
        expect(body.errors).toBeUndefined();
        expect(calls.length).toBeGreaterThan(0);
      }
    });
  }

  it('the node filter is never dropped: a known node is asked for, an unknown one is BAD_USER_INPUT', async () => {
    const nodes = await stack.gql(
      'query($id: String!) { deployment(deploymentId: $id) { nodes { name } } }',
      {
        variables: { id },
      },
    );
    const node = nodes.body.data.deployment.nodes[0].name as string;
    stack.sim.requestLog.clear();
    const known = await stack.gql(q('clients(filter: { node: $v }) { totalCount }'), {
      variables: { id, v: node },
    });
    expect(known.body.errors).toBeUndefined();
    const listed = brokerCalls().filter((e) => e.rawPath.endsWith('/clients'));
    expect(listed).toHaveLength(1);
    if (version === 'v4') expect(listed[0]!.rawPath).toBe(`/api/v4/nodes/${node}/clients`);
    else expect(new URLSearchParams(listed[0]!.query).get('node')).toBe(node);

    stack.sim.requestLog.clear();
    for (const field of ['clients', 'subscriptions']) {
      const query = q(`${field}(filter: { node: $v }) { totalCount }`);
      const unknown = await stack.gql(query, { variables: { id, v: 'emqx@10.9.9.9' } });
      expect(unknown.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.node',
      });
    }
    expect(brokerCalls().filter((e) => !e.rawPath.endsWith('/nodes'))).toEqual([]);
  });
});
