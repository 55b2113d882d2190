import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * The cost limit over HTTP: every executed response reports `extensions.cost { requested, limit }`, a huge
 * query is refused before any upstream call, and a `deployments` page without `first` is charged for the
 * deployments its caller can see rather than a page of 20.
 */

const HUGE = `{ deployments(first: 100) { edges { node {
  clients(first: 100) { edges { node { mqueueMessages(first: 100) { edges { node { topic } } } } } }
} } } }`;

const UNPAGED =
  '{ deployments { edges { node { deploymentId clients(first: 10) { edges { node { clientId } } } } } } }';

describe('query cost', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('reports the estimate and the limit on every response', async () => {
    const { status, body } = await stack.gql(
      '{ deployments(first: 2) { edges { node { deploymentId name } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body as any).extensions.cost).toEqual({ requested: 3, limit: 10_000 });
  });

  it('refuses 100 × 100 × 100 objects before execution, naming maxCost, with no upstream call', async () => {
    stack.sim.requestLog.clear();
    const { status, body } = await stack.gql(HUGE);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'maxCost',
      max: 10_000,
    });
    expect((body as any).extensions.cost.requested).toBeGreaterThan(1_000_000);
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('charges a deployments page without first for the deployments the caller can see', async () => {
    const all = await stack.gql(UNPAGED, { token: stack.tokens.admin });
    const staging = await stack.gql(UNPAGED, { token: stack.tokens.stagingOperator });
    // A stopped deployment answers its clients with an error; the page and its cost are what matter here.
    const seen = (result: typeof all) => (result.body.data as any).deployments.edges.length as number;
    expect(seen(staging)).toBeLessThan(seen(all));
    expect((all.body as any).extensions.cost.requested).toBe(1 + seen(all) * 12);
    expect((staging.body as any).extensions.cost.requested).toBe(1 + seen(staging) * 12);
  });
});
