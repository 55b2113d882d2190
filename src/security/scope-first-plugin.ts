import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { type Caller, hasRole } from '../auth/caller.ts';
import type { Role } from '../config.ts';
import { ForbiddenError } from '../errors.ts';

/**
 * Checks the role a root field needs before its arguments are mapped and validated. Pothos runs argument
 * mappers (the validation plugin) before any resolver wrapper, scope-auth included, so without this a caller
 * without the role would learn whether its input was valid before being told it may not ask at all.
 * Only static role maps (`{ admin: true }` on the field, `{ operator: true }` on Mutation) are read here;
 * scope-auth still runs afterwards and decides everything else.
 */

const STRONGEST_FIRST: Role[] = ['admin', 'operator', 'viewer'];
const rank = (role: Role) => STRONGEST_FIRST.length - STRONGEST_FIRST.indexOf(role);

/** The weakest role that satisfies a static scope map (scope-auth's default strategy is "any"). */
function leastRole(scopes: unknown): Role | null {
  if (!scopes || typeof scopes !== 'object') return null;
  const entries = Object.entries(scopes);
  if (!entries.every(([key]) => STRONGEST_FIRST.includes(key as Role))) return null;
  const granted = STRONGEST_FIRST.filter((role) => (scopes as Record<string, unknown>)[role] === true);
  return granted.at(-1) ?? null;
}

const stronger = (a: Role | null, b: Role | null) => (a && b ? (rank(a) >= rank(b) ? a : b) : (a ?? b));

export class PothosScopeFirstPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!resolver || (fieldConfig.kind !== 'Query' && fieldConfig.kind !== 'Mutation')) return resolver;
    const typeScopes = this.buildCache.getTypeConfig(fieldConfig.parentType).pothosOptions;
    const needed = stronger(
      leastRole((typeScopes as { authScopes?: unknown }).authScopes),
      leastRole((fieldConfig.pothosOptions as { authScopes?: unknown }).authScopes),
    );
    if (!needed) return resolver;
    const name = `${fieldConfig.parentType}.${fieldConfig.name}`;
    return (parent, args, context, info) => {
      if (!hasRole((context as { caller: Caller }).caller, needed))
        throw new ForbiddenError(`Your role may not use ${name}`);
      return resolver(parent, args, context, info);
    };
  }
}

const pluginName = 'scopeFirst';

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      scopeFirst: PothosScopeFirstPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, PothosScopeFirstPlugin);

export default pluginName;
