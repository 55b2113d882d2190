import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY } from '../../../bench/fleet.ts';
import { buildSchema } from '../../../src/schema/index.ts';
import { securitySchema } from '../../../src/security/config.ts';
import type { CostContext } from '../../../src/security/field-cost.ts';
import { operationCost } from '../../../src/security/operation-cost.ts';

/**
 * The cost model (field-cost.ts, operation-cost.ts): objects and connection reads count, scalars do not, a
 * connection's items count by its page size, and a `deployments` page without `first` counts the deployments the
 * caller can see. Real dashboards pass the default limit; a hundred of a hundred of a hundred does not.
 */

const schema = buildSchema();
const MAX_COST = securitySchema.parse({}).query.maxCost;
const cost = (query: string, context: CostContext = {}, variables?: Record<string, unknown>) =>
  operationCost({ schema, document: parse(query), variables, context });

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const README_EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('operation cost', () => {
  it('charges nothing for scalars: a page of 5 deployments with many fields costs the read and 5 objects', () => {
    expect(
      cost('{ deployments(first: 5) { totalCount edges { cursor node { deploymentId name region } } } }'),
    ).toBe(6);
    expect(cost('{ deployments(first: 5) { edges { node { deploymentId } } } }')).toBe(6);
  });

  it('counts every object of nested pages and lists once per item that may be returned', () => {
    // 1 page read + 5 × (deployment + stats + client page read + 10 × (client + 10 subscriptions) + 10 alarms)
    const query = `{ deployments(first: 5) { edges { node {
      stats { connections } alarms { name }
      clients(first: 10) { edges { node { clientId subscriptions { topic } } } }
    } } } }`;
    expect(cost(query)).toBe(1 + 5 * (1 + 1 + 1 + 10 * (1 + 10) + 10));
  });

  it('passes every README example and the benchmark dashboard under the default limit', () => {
    expect(README_EXAMPLES.length).toBeGreaterThanOrEqual(4);
    for (const example of [...README_EXAMPLES, DASHBOARD_QUERY]) {
      const estimate = cost(example);
      expect(estimate, example).not.toBeNull();
      expect(estimate!, example).toBeLessThanOrEqual(MAX_COST);
    }
  });

  it('refuses a hundred deployments × a hundred clients × a hundred queued messages under the default limit', () => {
    const query = `{ deployments(first: 100) { edges { node {
      clients(first: 100) { edges { node { mqueueMessages(first: 100) { edges { node { topic } } } } } }
    } } } }`;
    expect(cost(query)).toBeGreaterThan(1_000_000);
    expect(cost(query)!).toBeGreaterThan(MAX_COST);
  });

  it('bounds a deployments page without first by the deployments the caller can see, and asks for them', () => {
    const query = '{ deployments { edges { node { clients(first: 10) { edges { node { clientId } } } } } } }';
    const unknown: CostContext = {};
    expect(cost(query, unknown)).toBe(1 + 20 * (1 + 1 + 10));
    expect(unknown.wanted).toBe(true);
    expect(cost(query, { visibleDeployments: 3 })).toBe(1 + 3 * (1 + 1 + 10));
    // Never more than the page the resolver returns without first.
    expect(cost(query, { visibleDeployments: 200 })).toBe(1 + 20 * (1 + 1 + 10));
    const paged: CostContext = {};
    cost('{ deployments(first: 2) { totalCount } }', paged);
    expect(paged.wanted).toBeUndefined();
  });

  it('reads page sizes from the variables of the request', () => {
    const query = 'query($n: Int) { deployments(first: $n) { edges { node { deploymentId } } } }';
    expect(cost(query, {}, { n: 7 })).toBe(8);
  });
});
