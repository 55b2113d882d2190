import type { z } from 'zod';
import { type AuditEntry, auditLogOf, auditOutcomeOf } from '../audit.ts';
import type { GatewayContext } from '../context.ts';
import { BadUserInputError } from '../errors.ts';
import { decideWrite } from '../security/write-policy.ts';
import { parseArgs } from '../validation/parse.ts';
import { type MaybeDryRun, type WriteOptions, writeOptions } from './write-args.ts';

/**
 * The life of every mutation, written once (CONTRACT §6): validation → write policy (broad writes) → dry run
 * or idempotency → the write → audit line. Each step that refuses stops everything after it, so refused
 * input never reaches upstream. The role was checked before (scope-first, scope-auth); the write budget
 * before execution (src/security/use-write-budget.ts). Broker mutations add their steps in
 * broker/mutations/define.ts, deployment lifecycle ones in deployments/lifecycle.ts.
 */

export interface WriteMutation<Parsed, Result> {
  /** The GraphQL field name: the audit line's `operation`, the write policy's and idempotency's scope. */
  operation: string;
  /** Arguments as one object keyed by argument name, so a refusal names the argument. */
  args: (context: GatewayContext) => z.ZodType<Parsed>;
  /** What the audit line says it acted on (never payloads or passwords). */
  target: (args: Parsed) => string[];
  /** The deployment the audit line names ('' for none, e.g. one not created yet). */
  deploymentId: (args: Parsed) => string;
  /** The deployment the answer names, when the arguments cannot (createDeployment): the audit line's, then. */
  resultDeploymentId?: (result: Result) => string;
  run: (args: Parsed, context: GatewayContext) => Promise<Result>;
  /**
   * Everything `run` does up to the write, plus reads that say what it would do; never a write. Present
   * exactly when the field takes `dryRun` (write-args.ts).
   */
  preview?: (args: Parsed, context: GatewayContext) => Promise<Result>;
  /** For batches: how many items there were and how many failed. */
  items?: (result: Result) => { total: number; failed: number };
  /** @default 'broker mutation' */
  auditMessage?: string;
}

const rawDeploymentId = (args: unknown) => {
  const id = (args as { deploymentId?: unknown } | null)?.deploymentId;
  return typeof id === 'string' ? id.slice(0, 64) : '';
};

/** The arguments a repeat must match: all but the key itself. */
const argumentsOf = (args: unknown) => {
  const { idempotencyKey: _key, ...rest } = (args ?? {}) as Record<string, unknown>;
  return rest;
};

const scopeOf = (spec: { operation: string }, context: GatewayContext, key: string) => ({
  caller: context.caller.name,
  field: spec.operation,
  key,
});

/**
 * A keyed repeat that validation now refuses although its first run succeeded with the very same arguments: a
 * check that depends on the time (a ban's `until`, in the future then, past now). The first answer stands, as
 * for any repeat; null when there is no such recorded run.
 */
async function recordedAnswer<Result>(
  spec: { operation: string },
  rawArgs: unknown,
  context: GatewayContext,
  error: unknown,
): Promise<(() => Result) | null> {
  if (!(error instanceof BadUserInputError) || error.extensions.field === 'idempotencyKey') return null;
  const key = (rawArgs as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  const dryRun = (rawArgs as { dryRun?: unknown } | null)?.dryRun === true;
  if (typeof key !== 'string' || dryRun) return null;
  return context.services.idempotency.recorded<Result>(scopeOf(spec, context, key), argumentsOf(rawArgs));
}

async function perform<Parsed, Result>(
  spec: WriteMutation<Parsed, Result>,
  parsed: Parsed,
  rawArgs: unknown,
  options: WriteOptions,
  context: GatewayContext,
  line: Partial<AuditEntry>,
): Promise<Result> {
  if (options.dryRun) {
    if (!spec.preview) throw new BadUserInputError(`${spec.operation} has no dry run`, 'dryRun');
    line.dryRun = true;
    return { ...(await spec.preview(parsed, context)), dryRun: true } satisfies MaybeDryRun;
  }
  if (options.idempotencyKey === null) return spec.run(parsed, context);
  return context.services.idempotency.run(
    scopeOf(spec, context, options.idempotencyKey),
    argumentsOf(rawArgs),
    () => spec.run(parsed, context),
    () => {
      line.repeat = true;
    },
  );
}

/** Answers a recorded first run again, with its audit line. */
function replay<Result>(
  recorded: () => Result,
  line: Partial<AuditEntry>,
  audit: (entry: Partial<AuditEntry>) => void,
): Result {
  line.repeat = true;
  try {
    const result = recorded();
    audit({ outcome: 'success' });
    return result;
  } catch (error) {
    audit(auditOutcomeOf(error));
    throw error;
  }
}

/** Builds the resolver of one mutation. */
export function writeMutation<Parsed, Result>(spec: WriteMutation<Parsed, Result>) {
  return async (_parent: unknown, rawArgs: unknown, context: GatewayContext): Promise<Result> => {
    const started = performance.now();
    const line: AuditEntry = {
      caller: context.caller,
      requestId: context.requestId,
      deploymentId: rawDeploymentId(rawArgs),
      operation: spec.operation,
      target: [],
      outcome: 'success',
      durationMs: 0,
    };
    const audit = (entry: Partial<AuditEntry>) =>
      auditLogOf(context.services.logger).record(
        { ...line, ...entry, durationMs: performance.now() - started },
        spec.auditMessage,
      );
    // Said before anything can refuse, so a refused preview is not logged as an attempted write.
    if ((rawArgs as { dryRun?: unknown } | null)?.dryRun === true) line.dryRun = true;
    try {
      const options = parseArgs(writeOptions, rawArgs);
      const parsed = parseArgs(spec.args(context), rawArgs);
      line.target = spec.target(parsed);
      line.deploymentId = spec.deploymentId(parsed);
      if (options.idempotencyKey) line.idempotencyKey = options.idempotencyKey;
      const decision = decideWrite(context.caller, spec.operation, parsed, options.justification);
      if (decision.broad) line.broad = decision.broad;
      if (decision.justification) line.justification = decision.justification;
      const result = await perform(spec, parsed, rawArgs, options, context, line);
      if (spec.resultDeploymentId) line.deploymentId = spec.resultDeploymentId(result);
      const items = spec.items?.(result);
      audit({ outcome: items && items.failed > 0 ? 'partial' : 'success', ...(items ? { items } : {}) });
      return result;
    } catch (error) {
      const recorded = await recordedAnswer<Result>(spec, rawArgs, context, error);
      if (recorded) return replay(recorded, line, audit);
      audit(auditOutcomeOf(error));
      throw error;
    }
  };
}
