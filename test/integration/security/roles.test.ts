import {
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/schema/index.ts';
import { codeOf, fetchSchema, type RootCall, rootCalls } from '../../helpers/schema-calls.ts';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * Least privilege, table-driven over the live schema: every mutation refuses a viewer, the lifecycle ones
 * refuse operators, a project-scoped caller meets other projects' deployments exactly as missing ones, and
 * none of these refusals costs an upstream call. New mutations join the matrix without editing this file.
 */

/** docs/CONTRACT.md §3: deployment lifecycle needs admin; every other mutation is an operator's. */
const ADMIN_ONLY = new Set(['startDeployment', 'stopDeployment', 'createDeployment']);
/** CONTRACT.md §6: broad whatever their arguments, so an admin's (write-policy.test.ts covers the rest). */
const ALWAYS_BROAD = new Set(['clearBans', 'clearRetainedMessages']);
const PRODUCTION = 'a1b2c3d4';
const STAGING = 'c9d0e1f2';
const MISSING = 'zzzz0000';

function resultSelection(type: GraphQLNamedType) {
  if (isUnionType(type) || isInterfaceType(type)) return '{ __typename ... on Error { code message } }';
  return isObjectType(type) ? '{ __typename }' : '';
}

describe('roles and projects', () => {
  let stack: Stack;
  let schema: GraphQLSchema;
  const mutations = (deploymentId: string): RootCall[] =>
    rootCalls(schema, 'mutation', { deploymentId }, resultSelection);

  beforeAll(async () => {
    stack = await startStack();
    schema = await fetchSchema(stack);
    // Warm the fleet-wide deployment list, so that refusals below are judged on zero upstream calls.
    await stack.gql('{ deployments { totalCount } }');
  });
  afterAll(() => stack.close());

  it('puts every root query under viewer and every mutation under at least operator', () => {
    const built = buildSchema();
    const scopes = (type: unknown) =>
      (type as { extensions: { pothosOptions?: { authScopes?: unknown } } }).extensions.pothosOptions
        ?.authScopes;
    expect(scopes(built.getQueryType())).toEqual({ viewer: true });
    expect(scopes(built.getMutationType())).toEqual({ operator: true });
    for (const name of ADMIN_ONLY) {
      const field = built.getMutationType()?.getFields()[name];
      expect(field?.extensions.pothosOptions, name).toMatchObject({ authScopes: { admin: true } });
    }
  });

  it('refuses every mutation to a viewer with FORBIDDEN and no upstream call', async () => {
    const calls = mutations(STAGING);
    expect(calls.length).toBeGreaterThanOrEqual(ADMIN_ONLY.size);
    stack.sim.requestLog.clear();
    for (const call of calls) {
      const { body } = await stack.gql(call.query, { variables: call.variables, token: stack.tokens.viewer });
      expect(codeOf(body, call.field), call.field).toBe('FORBIDDEN');
    }
    expect(stack.sim.requestLog.entries()).toEqual([]);
  });

  it('refuses the lifecycle mutations to operators, scoped or not, with no upstream call', async () => {
    stack.sim.requestLog.clear();
    for (const token of [stack.tokens.operator, stack.tokens.stagingOperator]) {
      for (const call of mutations(STAGING).filter((c) => ADMIN_ONLY.has(c.field))) {
        const { body } = await stack.gql(call.query, { variables: call.variables, token });
        expect(codeOf(body, call.field), call.field).toBe('FORBIDDEN');
      }
    }
    expect(stack.sim.requestLog.entries()).toEqual([]);
  });

  it('lets an operator past the role check of every other mutation', async () => {
    const others = (c: RootCall) => !ADMIN_ONLY.has(c.field) && !ALWAYS_BROAD.has(c.field);
    for (const call of mutations(MISSING).filter(others)) {
      const { body } = await stack.gql(call.query, {
        variables: call.variables,
        token: stack.tokens.operator,
      });
      // A broad write (CONTRACT §6) is the admin's whatever the field's role; that refusal says so.
      const answer = body.data?.[call.field] as { message?: string } | undefined;
      if (!/broad write/.test(answer?.message ?? ''))
        expect(codeOf(body, call.field), call.field).not.toBe('FORBIDDEN');
      expect(body.errors, call.field).toBeUndefined();
    }
  });

  it('answers a scoped operator about another project’s deployment exactly as about a missing one', async () => {
    const others = mutations(PRODUCTION).filter((c) => !ADMIN_ONLY.has(c.field));
    const missing = new Map(mutations(MISSING).map((c) => [c.field, c]));
    stack.sim.requestLog.clear();
    for (const call of others) {
      const token = stack.tokens.stagingOperator;
      const hidden = await stack.gql(call.query, { variables: call.variables, token });
      const absent = missing.get(call.field)!;
      const expected = await stack.gql(absent.query, { variables: absent.variables, token });
      expect(JSON.stringify(hidden.body).replaceAll(PRODUCTION, MISSING), call.field).toBe(
        JSON.stringify(expected.body),
      );
    }
    expect(stack.sim.requestLog.entries()).toEqual([]);
  });

  it('hides other projects from lists, lookups, node(id:) and broker fan-out', async () => {
    const token = stack.tokens.stagingOperator;
    const list = await stack.gql(
      '{ deployments { totalCount edges { node { id deploymentId projectName } } } }',
      {
        token,
      },
    );
    const nodes = list.body.data.deployments.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.projectName)).toEqual(nodes.map(() => 'staging'));
    expect(list.body.data.deployments.totalCount).toBe(nodes.length);
    const filtered = await stack.gql(
      '{ deployments(filter: { projectName: "production" }) { totalCount } }',
      {
        token,
      },
    );
    expect(filtered.body.data.deployments.totalCount).toBe(0);

    const all = await stack.gql('{ deployments { edges { node { id deploymentId } } } }');
    const production = all.body.data.deployments.edges.find(
      (e: any) => e.node.deploymentId === PRODUCTION,
    ).node;
    const node = await stack.gql('query($id: ID!) { node(id: $id) { id } }', {
      token,
      variables: { id: production.id },
    });
    expect(node.body.data.node).toBeNull();
    const one = await stack.gql(`{ deployment(deploymentId: "${PRODUCTION}") { name } }`, { token });
    expect(one.body.data.deployment).toBeNull();
    expect(one.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    stack.sim.requestLog.clear();
    await stack.gql('{ deployments { edges { node { deploymentId stats { __typename } } } } }', { token });
    const touched = new Set(stack.sim.requestLog.entries().map((e) => e.target));
    touched.delete('platform');
    const staging = new Set(nodes.map((n: any) => n.deploymentId));
    for (const target of touched) expect(staging.has(target), target).toBe(true);
  });

  it('never serves a cached answer to a caller who could not have fetched it', async () => {
    const warm = await stack.gql(
      `{ deployment(deploymentId: "${PRODUCTION}") { name stats { __typename } } }`,
    );
    expect(warm.body.data.deployment.name).toBeTruthy();
    const scoped = await stack.gql(
      `{ deployment(deploymentId: "${PRODUCTION}") { name stats { __typename } } }`,
      {
        token: stack.tokens.stagingOperator,
      },
    );
    expect(scoped.body.data.deployment).toBeNull();
    expect(JSON.stringify(scoped.body)).not.toContain(warm.body.data.deployment.name);
  });
});
