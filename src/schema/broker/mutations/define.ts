import type { z } from 'zod';
import type { BrokerApi } from '../../../broker/api.ts';
import { brokerCacheScope } from '../../../broker/cache-keys.ts';
import type { BrokerDomain } from '../../../broker/call.ts';
import { guardedApi } from '../../../broker/request.ts';
import type { GatewayContext } from '../../../context.ts';
import { ExpectedError } from '../../../errors.ts';
import { requireVisibleDeployment } from '../../../platform/access.ts';
import type { Deployment } from '../../../platform/model.ts';
import { WRITE_ITEMS_EXTENSION } from '../../../security/write-count.ts';
import { AUDIT_EXTENSION } from '../../audit-plugin.ts';
import { writeMutation } from '../../write-mutation.ts';

/**
 * The life of one broker mutation: the shared pipeline (src/schema/write-mutation.ts: validation, write
 * policy, dry run, idempotency, audit), then deployment → guard → write(s) → cache invalidation.
 *
 * Validation runs inside the resolver, after the role checks, not through the validation plugin's arg
 * mappers: Pothos runs arg mappers outside every plugin's resolver wrapper, scope-auth included, so the role
 * must not be left to scope-auth alone (src/security/scope-first-plugin.ts also guards that order). Here it
 * can also read the gateway's configured limits, and every refusal gets its audit line.
 */

type BrokerStep<Parsed, Result> = (
  api: BrokerApi,
  args: Parsed,
  context: GatewayContext,
  deployment: Deployment,
) => Promise<Result>;

export interface BrokerMutation<Parsed extends { deploymentId: string }, Result> {
  /** The GraphQL field name, for the audit trail, the write policy and idempotency keys. */
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
  run: BrokerStep<Parsed, Result>;
  /**
   * The dry run: reads that say what `run` would do, answered in its success type. Its `api` withholds every
   * write (src/broker/dry-run.ts), so it can also call the write method itself with `untilWrite` to make the
   * checks the adapter makes before sending. Give it exactly when the field has `writeArgs(t.arg, { dryRun: true })`.
   */
  preview?: BrokerStep<Parsed, Result>;
  /** For batches: how many items there were and how many failed. */
  items?: (result: Result) => { total: number; failed: number };
}

export interface OperatorOnlyOptions {
  /** The list argument whose items each count as one write against the request's budget (CONTRACT §6). */
  writeItems?: string;
}

/**
 * Field options of a broker mutation: operator or above (docs/CONTRACT.md §3), the marker that makes the audit
 * plugin record a refusal for the caller's role (src/schema/audit-plugin.ts), and how it counts against the
 * write budget (src/security/write-count.ts).
 */
export const operatorOnly = (operation: string, options: OperatorOnlyOptions = {}) =>
  ({
    authScopes: { operator: true },
    extensions: {
      [AUDIT_EXTENSION]: operation,
      ...(options.writeItems ? { [WRITE_ITEMS_EXTENSION]: options.writeItems } : {}),
    },
  }) as const;

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

/** Runs `step` against the deployment's guarded broker API (for a dry run, the one that withholds writes). */
async function onBroker<Parsed extends { deploymentId: string }, Result>(
  context: GatewayContext,
  args: Parsed,
  step: (api: BrokerApi, deployment: Deployment) => Promise<Result>,
  dryRun = false,
) {
  const deployment = await requireVisibleDeployment(context, args.deploymentId);
  return step(guardedApi(context, deployment, { dryRun }), deployment);
}

/** Builds the resolver of one broker mutation. */
export function brokerMutation<Parsed extends { deploymentId: string }, Result>(
  spec: BrokerMutation<Parsed, Result>,
) {
  const { preview } = spec;
  return writeMutation<Parsed, Result>({
    operation: spec.operation,
    args: spec.args,
    target: spec.target,
    deploymentId: (args) => args.deploymentId,
    items: spec.items,
    run: (args, context) => {
      return onBroker(context, args, async (api, deployment) => {
        const domains = spec.invalidates(args);
        if (spec.invalidateFirst) await invalidate(context, args.deploymentId, domains);
        try {
          return await spec.run(api, args, context, deployment);
        } finally {
          await invalidate(context, args.deploymentId, domains);
        }
      });
    },
    // A preview says what EMQX holds now, so it reads past the cache the write would drop.
    preview: preview
      ? (args, context) => {
          return onBroker(
            context,
            args,
            async (api, deployment) => {
              await invalidate(context, args.deploymentId, spec.invalidates(args));
              return preview(api, args, context, deployment);
            },
            true,
          );
        }
      : undefined,
  });
}
