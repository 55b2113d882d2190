import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { auditLogOf, auditOutcomeOf } from '../audit.ts';
import type { GatewayContext } from '../context.ts';
import { ExpectedError } from '../errors.ts';

/**
 * Writes the audit line of a broker mutation refused for the caller's role. That refusal happens before the
 * resolver runs (scope-first before the argument mappers, or scope-auth around the resolver), so the resolver
 * (src/schema/broker/mutations/define.ts), which audits every other outcome, never sees it. Listed right inside the
 * errors plugin, so the FORBIDDEN error is still thrown here and not yet a result-union member. A field opts
 * in with `extensions: { brokerAudit: '<operation>' }`.
 */

export const AUDIT_EXTENSION = 'brokerAudit';

const rawDeploymentId = (args: unknown) => {
  const id = (args as { deploymentId?: unknown } | null)?.deploymentId;
  return typeof id === 'string' ? id.slice(0, 64) : '';
};

function record(context: GatewayContext, operation: string, args: unknown, error: unknown) {
  auditLogOf(context.services.logger).record({
    caller: context.caller,
    requestId: context.requestId,
    deploymentId: rawDeploymentId(args),
    operation,
    target: [],
    ...auditOutcomeOf(error),
    durationMs: 0,
  });
}

export class PothosBrokerAuditPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const operation = fieldConfig.extensions?.[AUDIT_EXTENSION];
    if (!resolver || typeof operation !== 'string') return resolver;
    return async (parent, args, context, info) => {
      try {
        return await resolver(parent, args, context, info);
      } catch (error) {
        if (error instanceof ExpectedError && error.code === 'FORBIDDEN') {
          record(context as GatewayContext, operation, args, error);
        }
        throw error;
      }
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      brokerAudit: PothosBrokerAuditPlugin<Types>;
    }
  }
}

const pluginName = 'brokerAudit';
SchemaBuilder.registerPlugin(pluginName, PothosBrokerAuditPlugin);
export default pluginName;
