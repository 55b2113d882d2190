import { Readable } from 'node:stream';
import { Agent, type Dispatcher, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Queries built to hurt the gateway are refused before execution — no resolver, no upstream call — with the
 * limit they hit named, and the process keeps serving afterwards.
 */

const repeat = (count: number, make: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => make(i)).join(' ');

function nested(depth: number, leaf: string): string {
  let query = leaf;
  for (let i = 0; i < depth; i++) query = `a${i} { ${query} }`;
  return query;
}

/** Each fragment spreads the next one twice: 2^levels expansions from a few hundred bytes. */
function fragmentBomb(levels: number, leaf: string): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Query { ${leaf} }`
      : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query { ...F0 } ${fragments.join(' ')}`;
}

const COST_QUERY = `query($n: Int) {
  deployments(first: $n) { edges { node { deploymentId clients(first: $n) { edges { node { clientId } } } } } }
}`;

describe('abusive queries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  async function post(body: string | Readable, dispatcher?: Dispatcher) {
    const response = await request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${stack.tokens.admin}`,
      },
      body,
      dispatcher,
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: JSON.parse(text) };
  }

  const cases: Array<[string, () => unknown, string, number]> = [
    [
      'depth 50 through unknown fields',
      () => ({ query: `{ deployments { ${nested(50, 'x')} } }` }),
      'maxDepth',
      400,
    ],
    [
      'depth 50 through valid introspection',
      () => ({
        query: `{ __type(name: "Query") { fields { type { ${nested(45, 'name').replace(/a\d+/g, 'ofType')} } } } }`,
      }),
      'maxDepth',
      400,
    ],
    [
      '1,000 aliases of a mutation',
      () => ({
        query: `mutation { ${repeat(1000, (i) => `s${i}: stopDeployment(deploymentId: "a1b2c3d4") { __typename }`)} }`,
      }),
      'maxTokens',
      400,
    ],
    [
      '40 aliases under the token limit',
      () => ({ query: `{ deployments { ${repeat(40, (i) => `t${i}: totalCount`)} } }` }),
      'maxAliases',
      400,
    ],
    [
      'a fragment-spread bomb (2^40 root fields)',
      () => ({ query: fragmentBomb(40, 'upstreamQuotas { limit }') }),
      'maxRootFields',
      400,
    ],
    [
      'a fragment-spread bomb of aliases',
      () => ({ query: fragmentBomb(40, 'deployments { n: totalCount }') }),
      'maxRootFields',
      400,
    ],
    ['25 root fields', () => ({ query: `{ ${repeat(25, () => '__typename')} }` }), 'maxRootFields', 400],
    [
      '10,000 directives',
      () => ({ query: `{ __typename ${repeat(10_000, () => '@include(if: true)')} }` }),
      'maxTokens',
      400,
    ],
    [
      '25 directives under the token limit',
      () => ({ query: `{ __typename ${repeat(25, () => '@skip(if: false)')} }` }),
      'maxDirectives',
      400,
    ],
    [
      '6,000 tokens',
      () => ({ query: `{ deployments { ${repeat(6000, () => 'totalCount')} } }` }),
      'maxTokens',
      400,
    ],
    ['nested connections of 100', () => ({ query: COST_QUERY, variables: { n: 100 } }), 'maxCost', 400],
    ['a 1 MB query', () => ({ query: `{ __typename }${' '.repeat(1_048_576)}` }), 'maxBodyBytes', 413],
  ];

  for (const [name, body, limit, status] of cases) {
    it(`refuses ${name} before execution, naming ${limit}`, async () => {
      stack.sim.requestLog.clear();
      const result = await post(JSON.stringify(body()));
      expect(result.status).toBe(status);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit });
      expect(result.body.errors[0].message).toContain(`security.`);
      expect(stack.sim.requestLog.count()).toBe(0);
    });
  }

  it('refuses a 1 MB chunked body with no declared length while it streams', async () => {
    stack.sim.requestLog.clear();
    async function* chunks() {
      yield Buffer.from('{"query":"{ __typename }","pad":"');
      for (let i = 0; i < 64; i++) yield Buffer.alloc(16_384, 'x');
      yield Buffer.from('"}');
    }
    // Its own connection: the gateway answers before the client has finished sending, which spoils the socket.
    const agent = new Agent();
    try {
      const result = await post(Readable.from(chunks()), agent);
      expect(result.status).toBe(413);
    } finally {
      await agent.destroy();
    }
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('judges cost with the variables of each request, not a cached verdict for the document', async () => {
    const small = await post(JSON.stringify({ query: COST_QUERY, variables: { n: 2 } }));
    expect(small.status).toBe(200);
    expect(small.body.data.deployments.edges).toHaveLength(2);
    stack.sim.requestLog.clear();
    const large = await post(JSON.stringify({ query: COST_QUERY, variables: { n: 100 } }));
    expect(large.body.errors[0].extensions.limit).toBe('maxCost');
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('refuses batched operations, a cyclic fragment and first above 100 without an upstream call', async () => {
    stack.sim.requestLog.clear();
    const batch = await post(
      JSON.stringify([{ query: '{ deployments { totalCount } }' }, { query: '{ __typename }' }]),
    );
    expect(batch.status).toBeGreaterThanOrEqual(400);
    const cycle = await post(
      JSON.stringify({
        query:
          'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A deployments { totalCount } }',
      }),
    );
    expect(cycle.status).toBe(400);
    const page = await post(JSON.stringify({ query: '{ deployments(first: 101) { totalCount } }' }));
    expect(page.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('stays healthy and keeps serving after all of the above', async () => {
    expect((await request(`${stack.urls[0]}/healthz`)).statusCode).toBe(200);
    const { body } = await stack.gql('{ deployments { totalCount } }', { token: stack.tokens.viewer });
    expect(body.data.deployments.totalCount).toBe(5);
    const introspection = await post(
      JSON.stringify({ query: (await import('graphql')).getIntrospectionQuery({ descriptions: true }) }),
    );
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
  });
});
