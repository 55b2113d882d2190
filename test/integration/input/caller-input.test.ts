import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../../src/schema/global-id.ts';
import { fetchSchema } from '../../helpers/schema-calls.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { V4, V5 } from '../broker/mutations/helpers.ts';

/**
 * Caller input is never an internal error (CONTRACT.md §4): each case below was INTERNAL_SERVER_ERROR (or a
 * 500) before; now it is the caller's error with a code, nothing reaches EMQX, and the gateway logs nothing at
 * warn or above (no stack).
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

let logMark = 0;
beforeEach(() => {
  stack.sim.requestLog.clear();
  logMark = stack.logs[0]!.lines.length;
});

const brokerCalls = () => stack.sim.requestLog.entries().filter((e) => e.target === V4 || e.target === V5);
/** Lines at warn (40) or above since the test began, or any line carrying a stack. */
const loudLines = () =>
  stack.logs[0]!.lines.slice(logMark).filter((line) => {
    const { level, err } = JSON.parse(line) as { level: number; err?: { stack?: string } };
    return level >= 40 || err?.stack !== undefined;
  });

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function raw(path: string, init: { method?: 'GET' | 'POST'; body?: string } = {}) {
  const response = await request(`${stack.urls[0]}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${stack.tokens.admin}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, body: JSON.parse(text) as { errors?: any[]; data?: any } };
}

describe('node(id:) with an ID the gateway never issued', () => {
  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['base64 of a type that does not exist', base64('Foo:1')],
    ['base64 of a type that is not a Node', base64('Query:1')],
    ['base64 without a colon', base64('Deployment')],
    ['base64 with nothing after the colon', base64('Deployment:')],
    ['not valid base64 padding', 'RGVwbG95bWVudDox='],
  ])('node(id: %s) was INTERNAL_SERVER_ERROR; now BAD_USER_INPUT naming id', async (_label, id) => {
    const { body } = await stack.gql('query($id: ID!) { node(id: $id) { id } }', { variables: { id } });
    expect(body.data).toEqual({ node: null });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(brokerCalls()).toEqual([]);
    expect(loudLines()).toEqual([]);
  });

  it('the decoder knows exactly the types that implement Node', async () => {
    const schema = await fetchSchema(stack);
    const node = schema.getType('Node');
    const implementations = node && 'getFields' in node ? schema.getPossibleTypes(node as never) : [];
    expect(implementations.map((t) => t.name).sort()).toEqual([...NODE_TYPES].sort());
  });

  it('an ID the gateway issued still loads', async () => {
    const listed = await stack.gql(`{ deployment(deploymentId: "${V5}") { id } }`);
    const id = listed.body.data.deployment.id as string;
    const { body } = await stack.gql(
      'query($id: ID!) { node(id: $id) { id ... on Deployment { deploymentId } } }',
      {
        variables: { id },
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.node).toEqual({ id, deploymentId: V5 });
  });
});

describe('values nested 10,000 deep', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const createRule = (actions: string) =>
    `mutation { createRule(deploymentId: "${V5}", input: { sql: "SELECT * FROM \\"t/#\\"", actions: ${actions} }) { __typename } }`;

  it('a 10,000-deep actions variable was a RangeError in JSON.stringify; now maxNesting, before any call', async () => {
    const query = `mutation($a: JSON!) { createRule(deploymentId: "${V5}", input: { sql: "SELECT * FROM \\"t/#\\"", actions: $a }) { __typename } }`;
    const { status, body } = await raw('/graphql', {
      method: 'POST',
      body: `{"query":${JSON.stringify(query)},"variables":{"a":${nested(10_000)}}}`,
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'maxNesting',
      max: 64,
    });
    expect(brokerCalls()).toEqual([]);
    expect(loudLines()).toEqual([]);
  });

  it('a 10,000-deep list literal overflowed the GraphQL parser (HTTP 500); now maxNesting', async () => {
    const { status, body } = await raw('/graphql', {
      method: 'POST',
      body: JSON.stringify({ query: createRule(nested(10_000)) }),
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'maxNesting' });
    expect(brokerCalls()).toEqual([]);
    expect(loudLines()).toEqual([]);
  });

  it('brackets inside strings and comments do not count; nesting up to the limit passes', async () => {
    const inString = `{ deployment(deploymentId: "${'['.repeat(200)}") { deploymentId } }`;
    const inComment = `# ${'{'.repeat(200)}\n{ __typename }`;
    for (const query of [inString, inComment]) {
      const { body } = await stack.gql(query);
      expect(body.errors?.[0]?.extensions?.limit).toBeUndefined();
    }
    const atLimit = nested(60); // with the mutation's own braces this stays within 64 levels
    const { body } = await stack.gql(createRule(atLimit).replace('createRule(', 'createRule(dryRun: true, '));
    expect(body.errors?.[0]?.extensions?.limit).toBeUndefined();
  });
});

describe('malformed request parameters', () => {
  it.each([
    ['variables=%7B', '/graphql?query=%7B__typename%7D&variables=%7B'],
    ['extensions=%7B', '/graphql?query=%7B__typename%7D&extensions=%7B'],
    ['variables=%5B', '/graphql?query=%7B__typename%7D&variables=%5B'],
  ])('GET /graphql?…&%s was a SyntaxError answered 500; now 400 BAD_USER_INPUT', async (_label, path) => {
    const { status, text, body } = await raw(path);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(text).not.toMatch(/SyntaxError|JSON at position|Unexpected end/);
    expect(loudLines()).toEqual([]);
  });
});

describe('identifiers that cannot be sent', () => {
  it.each([V4, V5])(
    'a lone surrogate as a client ID to kick on %s is BAD_USER_INPUT, nothing sent',
    async (id) => {
      const { body } = await stack.gql(
        `mutation($c: String!) { kickClient(deploymentId: "${id}", clientId: $c) { __typename ... on Error { code } } }`,
        { variables: { c: '\ud800' } },
      );
      expect(body.data.kickClient).toEqual({ __typename: 'BadUserInputError', code: 'BAD_USER_INPUT' });
      expect(brokerCalls()).toEqual([]);
    },
  );

  it.each([V4, V5])(
    'an unknown node name in a list filter on %s is BAD_USER_INPUT, not an upstream error',
    async (id) => {
      const { body } = await stack.gql(
        `{ deployment(deploymentId: "${id}") { clients(filter: { node: "emqx@nowhere" }) { totalCount } } }`,
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.node' });
      expect(loudLines()).toEqual([]);
    },
  );

  it('an unknown node name for a v4 plugin is NOT_FOUND, not an upstream error', async () => {
    const { body } = await stack.gql(
      `mutation { reloadPlugin(deploymentId: "${V4}", node: "emqx@nowhere", plugin: "emqx_web_hook") { __typename ... on Error { code } } }`,
    );
    expect(body.data.reloadPlugin).toMatchObject({ code: 'NOT_FOUND' });
  });
});
