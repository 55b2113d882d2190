import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';
import { V4, V5 } from '../broker/mutations/helpers.ts';

/**
 * The write budget (CONTRACT §6): one request may cause at most `security.maxWritesPerRequest` upstream
 * writes, counted before execution (each batch item 1, other mutation fields 1, dry runs 0). Over it, the
 * request is refused whole and nothing reaches EMQX: the simulator's request log is the oracle.
 */

const ids = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const aliased = (n: number, field: (i: number) => string) =>
  `mutation(${field(0).includes('$ids') ? '$ids: [String!]!' : '$messages: [PublishInput!]!'}) { ${Array.from({ length: n }, (_, i) => `m${i}: ${field(i)}`).join(' ')} }`;
const KICKS = (id: string, extra = '') =>
  `kickClients(deploymentId: "${id}", clientIds: $ids${extra}) { __typename }`;
const BATCH = (id: string) => `publishBatch(deploymentId: "${id}", messages: $messages) { __typename }`;
const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ topic: `budget/${i}`, payload: 'x' }));

const writes = (stack: Stack) => stack.sim.requestLog.entries().filter((e) => e.method !== 'GET');

const expectRefused = (body: any, actual: number, max: number) => {
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toEqual([
    expect.objectContaining({
      extensions: expect.objectContaining({
        code: 'BAD_USER_INPUT',
        limit: 'maxWritesPerRequest',
        max,
        actual,
      }),
    }),
  ]);
};

describe('the default budget of 100 writes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.sim.requestLog.clear());

  it.each([V5, V4])('refuses 20 aliased kickClients of 100 IDs on %s with no write', async (id) => {
    const { status, body } = await stack.gql(
      aliased(20, () => KICKS(id)),
      {
        variables: { ids: ids(100) },
        token: stack.tokens.operator,
      },
    );
    expect(status).toBe(400);
    expectRefused(body, 2000, 100);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('refuses 20 aliased publishBatch of 10 messages with no write', async () => {
    const { body } = await stack.gql(
      aliased(20, () => BATCH(V5)),
      {
        variables: { messages: messages(10) },
        token: stack.tokens.operator,
      },
    );
    expectRefused(body, 200, 100);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('counts every mutation field of the request together, fragments and literals included', async () => {
    const query = `mutation($ids: [String!]!) {
      a: kickClients(deploymentId: "${V5}", clientIds: $ids) { __typename }
      ...more
    }
    fragment more on Mutation {
      b: publish(deploymentId: "${V5}", input: { topic: "t", payload: "p" }) { __typename }
      c: kickClients(deploymentId: "${V5}", clientIds: ["x", "y"]) { __typename }
    }`;
    const { body } = await stack.gql(query, { variables: { ids: ids(98) }, token: stack.tokens.operator });
    expectRefused(body, 101, 100);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('lets one kickClients of 100 IDs through: one bulk write on v5', async () => {
    const { body } = await stack.gql(
      `mutation($ids: [String!]!) { kickClients(deploymentId: "${V5}", clientIds: $ids) { __typename } }`,
      { variables: { ids: ids(100) }, token: stack.tokens.operator },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.kickClients.__typename).toBe('KickClientsSuccess');
    expect(writes(stack).map((w) => w.rawPath)).toEqual(['/api/v5/clients/kickout/bulk']);
  });

  it('does not count dry runs: 20 aliased dry-run kicks of 100 IDs pass and write nothing', async () => {
    const { body } = await stack.gql(
      aliased(20, () => KICKS(V5, ', dryRun: true')),
      {
        variables: { ids: ids(100) },
        token: stack.tokens.operator,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data).map((r: any) => r.__typename)).toEqual(
      Array(20).fill('KickClientsSuccess'),
    );
    expect(writes(stack)).toEqual([]);
  });
});

describe('a configured budget of 10', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.security = { maxWritesPerRequest: 10 };
      },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.sim.requestLog.clear());

  const publishes = (n: number) =>
    `mutation { ${Array.from({ length: n }, (_, i) => `p${i}: publish(deploymentId: "${V5}", input: { topic: "b/${i}", payload: "x" }) { __typename }`).join(' ')} }`;

  it('refuses 11 publishes in one request with no write', async () => {
    const { body } = await stack.gql(publishes(11), { token: stack.tokens.operator });
    expectRefused(body, 11, 10);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('lets 10 publishes through: 10 writes', async () => {
    const { body } = await stack.gql(publishes(10), { token: stack.tokens.operator });
    expect(body.errors).toBeUndefined();
    expect(writes(stack)).toHaveLength(10);
  });

  it('refuses a kickClients of 11 IDs, and names the setting', async () => {
    const { body } = await stack.gql(
      `mutation { kickClients(deploymentId: "${V5}", clientIds: ${JSON.stringify(ids(11))}) { __typename } }`,
      { token: stack.tokens.operator },
    );
    expectRefused(body, 11, 10);
    expect(body.errors?.[0]?.message).toContain('security.maxWritesPerRequest');
    expect(stack.sim.requestLog.count()).toBe(0);
  });
});

describe('list lengths, under a budget large enough not to decide first', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) => {
        config.security = { maxWritesPerRequest: 5000 };
      },
    });
  });
  afterAll(() => stack?.close());

  it.each([
    ['publishBatch', 'messages', 'messages: $list', '[PublishInput!]!', messages(101)],
    ['kickClients', 'clientIds', 'clientIds: $list', '[String!]!', ids(101)],
    [
      'importAuthnUsers',
      'users',
      'users: $list',
      '[AuthnUserInput!]!',
      ids(1001).map((userId) => ({ userId, password: 'p' })),
    ],
  ])(
    '%s refuses more items than its schema maximum as BAD_USER_INPUT on %s',
    async (field, arg, args, type, list) => {
      const { body } = await stack.gql(
        `mutation($list: ${type}) { ${field}(deploymentId: "${V5}", ${args}) { __typename ... on BadUserInputError { field } } }`,
        { variables: { list }, token: stack.tokens.operator },
      );
      expect(body.data[field]).toEqual({ __typename: 'BadUserInputError', field: arg });
      expect(stack.sim.requestLog.entries().filter((e) => e.method !== 'GET')).toEqual([]);
    },
  );
});
