import type { z } from 'zod';
import { type AuditLog, auditLogOf, auditOutcomeOf } from '../../../audit.ts';
import type { BrokerApi } from '../../../broker/api.ts';
import { brokerCacheScope } from '../../../broker/cache-keys.ts';
import type { BrokerDomain } from '../../../broker/call.ts';
import { guardedApi } from '../../../broker/request.ts';
import type { GatewayContext } from '../../../context.ts';
import { ExpectedError } from '../../../errors.ts';
import { requireVisibleDeployment } from '../../../platform/access.ts';
import type { Deployment } from '../../../platform/model.ts';
import { parseArgs } from '../../../validation/parse.ts';
import { AUDIT_EXTENSION } from '../../audit-plugin.ts';

/**
 * The life of one broker mutation, written once: role → validation → deployment → guard → write(s) →
 * cache invalidation → audit line. Each step that refuses stops everything after it, so refused input
 * never reaches EMQX.
 *
 * Validation runs here, inside the resolver, after the role checks, not through the validation plugin's arg
 * mappers: Pothos runs arg mappers outside every plugin's resolver wrapper, scope-auth included, so the role
 * must not be left to scope-auth alone (src/security/scope-first-plugin.ts also guards that order). Here it
 * can also read the gateway's configured limits, and every refusal gets its audit line.
 */

export interface BrokerMutation<Parsed extends { deploymentId: string }, Result> {
  /** The GraphQL field name, for the audit trail. */
  operation: string;
  /** Arguments as one object keyed by argument name, so a refusal names the argument. */
  args: (context: GatewayContext) => z.ZodType<Parsed>;
  /** What the audit line says it acted on (never payloads or passwords). */
  target: (args: Parsed) => string[];
  /** Cached read domains to drop once the write was attempted. */
  invalidates: (args: Parsed) => BrokerDomain[];
  /**
   * Drop them before the write too, for writes that read the current state first (v5 rule updates), so that
   * read is not served from a cache filled before someone else changed the rule.
   * @default false
   */
  invalidateFirst?: boolean;
  /** Refuses a caller for these arguments (FORBIDDEN, BAD_USER_INPUT) before anything upstream is asked. */
  authorize?: (args: Parsed, context: GatewayContext) => void;
  run: (api: BrokerApi, args: Parsed, context: GatewayContext, deployment: Deployment) => Promise<Result>;
  /** For batches: how many items there were and how many failed. */
  items?: (result: Result) => { total: number; failed: number };
}

const auditOf = (context: GatewayContext): AuditLog => auditLogOf(context.services.logger);

const rawDeploymentId = (args: unknown) => {
  const id = (args as { deploymentId?: unknown } | null)?.deploymentId;
  return typeof id === 'string' ? id.slice(0, 64) : '';
};

/**
 * Field options of a broker mutation: operator or above (docs/CONTRACT.md §3), and the marker that makes the audit
 * plugin record a refusal for the caller's role (src/schema/audit-plugin.ts).
 */
export const operatorOnly = (operation: string) =>
  ({ authScopes: { operator: true }, extensions: { [AUDIT_EXTENSION]: operation } }) as const;

async function invalidate(context: GatewayContext, deploymentId: string, domains: BrokerDomain[]) {
  const { cache } = context.services;
  const unique = [...new Set(domains)];
  await Promise.all(
    unique.map((domain) =>
      cache.invalidateScope(brokerCacheScope(deploymentId, domain)).catch((error: unknown) => {
        context.logger.warn({ err: error, deploymentId, domain }, 'could not drop cached broker reads');
      }),
    ),
  );
}

/** Counts the ExpectedErrors among batch items. */
export const countItems = (results: readonly unknown[]) => ({
  total: results.length,
  failed: results.filter((r) => r instanceof ExpectedError).length,
});

/** Builds the resolver of one broker mutation. */
export function brokerMutation<Parsed extends { deploymentId: string }, Result>(
  spec: BrokerMutation<Parsed, Result>,
) {
  return async (_parent: unknown, args: unknown, context: GatewayContext): Promise<Result> => {
    const started = performance.now();
    const line = {
      caller: context.caller,
      requestId: context.requestId,
      deploymentId: rawDeploymentId(args),
      operation: spec.operation,
      target: [] as string[],
    };
    let attempted: Parsed | null = null;
    try {
      const parsed = parseArgs(spec.args(context), args);
      line.target = spec.target(parsed);
      spec.authorize?.(parsed, context);
      const deployment = await requireVisibleDeployment(context, parsed.deploymentId);
      const api = guardedApi(context, deployment);
      if (spec.invalidateFirst) await invalidate(context, parsed.deploymentId, spec.invalidates(parsed));
      attempted = parsed;
      const result = await spec.run(api, parsed, context, deployment);
      const items = spec.items?.(result);
      const outcome = items && items.failed > 0 ? 'partial' : 'success';
      auditOf(context).record({
        ...line,
        outcome,
        durationMs: performance.now() - started,
        ...(items ? { items } : {}),
      });
      return result;
    } catch (error) {
      auditOf(context).record({ ...line, ...auditOutcomeOf(error), durationMs: performance.now() - started });
      throw error;
    } finally {
      if (attempted) await invalidate(context, attempted.deploymentId, spec.invalidates(attempted));
    }
  };
}
