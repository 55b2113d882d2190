import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType, GraphQLUnionType, getNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * The shared write arguments (CONTRACT §6, the outline's round-2 section), read from the printed schema: every
 * mutation takes `idempotencyKey`; the outline's dry-run fields take `dryRun` and their success types answer
 * `dryRun: Boolean!`; the outline's broad fields take `justification`.
 */

const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
const mutations = Object.values((schema.getMutationType() as GraphQLObjectType).getFields());
const field = (name: string) => {
  const found = mutations.find((f) => f.name === name);
  if (!found) throw new Error(`no mutation ${name}`);
  return found;
};
const argNames = (name: string) => field(name).args.map((a) => a.name);

const DRY_RUN = [
  'kickClient',
  'kickClients',
  'createBan',
  'deleteBan',
  'clearBans',
  'deleteRule',
  'deleteRetainedMessage',
  'clearRetainedMessages',
  'unsubscribeClient',
  'stopDeployment',
];
const JUSTIFICATION = [
  'clearBans',
  'createBan',
  'publish',
  'publishBatch',
  'setAuthzRules',
  'deleteAuthzRules',
  'createRule',
  'updateRule',
  'clearRetainedMessages',
  'clearAuthzRules',
  // Data integrations that can open a path out of the broker (src/security/broad-writes.ts).
  'createAction',
  'updateAction',
  'setActionEnabled',
  'createConnector',
  'updateConnector',
  'setConnectorEnabled',
  'createResource',
];

describe('write arguments in the schema', () => {
  it('every mutation takes idempotencyKey: String', () => {
    const missing = mutations.filter(
      (m) => !m.args.some((a) => a.name === 'idempotencyKey' && String(a.type) === 'String'),
    );
    expect(missing.map((m) => m.name)).toEqual([]);
  });

  it.each(DRY_RUN)('%s takes dryRun and its success type answers dryRun: Boolean!', (name) => {
    expect(argNames(name)).toContain('dryRun');
    const result = getNamedType(field(name).type);
    const types = result instanceof GraphQLUnionType ? result.getTypes() : [result as GraphQLObjectType];
    const success = types.find((t) => !t.getInterfaces().some((i) => i.name === 'Error'));
    expect(String(success?.getFields().dryRun?.type)).toBe('Boolean!');
  });

  it.each(JUSTIFICATION)('%s takes justification', (name) => {
    expect(argNames(name)).toContain('justification');
  });
});
