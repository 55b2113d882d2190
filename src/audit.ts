import type { Caller } from './auth/caller.ts';
import { ExpectedError } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * The audit trail of broker mutations: one structured line per mutation, on the root logger with
 * `audit: true`, so operators can route it with any pino transport (filter on `audit`). A line holds who,
 * where, what, on what, how it ended and how long it took — never a payload, password or other secret.
 */

export type AuditOutcome =
  /** EMQX did it (for a batch: every item). */
  | 'success'
  /** A batch where some items failed. */
  | 'partial'
  /** Refused by the gateway before anything was sent: FORBIDDEN or BAD_USER_INPUT. */
  | 'rejected'
  /** Not done: EMQX answered with an error, could not be reached, or the deployment cannot take it. */
  | 'error'
  /** Sent, but no answer came back in time: it may or may not have happened. */
  | 'unknown';

export interface AuditEntry {
  caller: Caller;
  requestId: string;
  deploymentId: string;
  /** The GraphQL mutation name, e.g. `kickClient`. */
  operation: string;
  /** What it acted on: client IDs, topics, rule IDs, ban kind:who, user IDs. Never payloads or passwords. */
  target: string[];
  outcome: AuditOutcome;
  /** The contract error code when it did not succeed. */
  code?: string;
  durationMs: number;
  /** Items in a batch, and how many failed. */
  items?: { total: number; failed: number };
  /** A dry run: nothing was written. */
  dryRun?: boolean;
  /** Why a broad write is broad (src/security/broad-writes.ts). */
  broad?: string;
  /** The caller's reason, when given (at most 500 characters, checked by the write policy). */
  justification?: string;
  /** The caller's idempotency key, when given. */
  idempotencyKey?: string;
  /** The outcome is the recorded one of an earlier request with the same idempotency key. */
  repeat?: boolean;
}

export interface AuditLog {
  /** `message` says what kind of mutation it was. @default 'broker mutation' */
  record(entry: AuditEntry, message?: string): void;
}

/** At most this many targets, each at most this long, so one line stays one line. */
const MAX_TARGETS = 20;
const MAX_TARGET_LENGTH = 200;

const clip = (targets: string[]) => {
  const shown = targets
    .slice(0, MAX_TARGETS)
    .map((t) => (t.length > MAX_TARGET_LENGTH ? `${t.slice(0, MAX_TARGET_LENGTH)}…` : t));
  return targets.length > MAX_TARGETS ? [...shown, `…and ${targets.length - MAX_TARGETS} more`] : shown;
};

const perLogger = new WeakMap<Logger, AuditLog>();

/** One audit log per root logger (that is, per gateway), created on first use. */
export function auditLogOf(logger: Logger): AuditLog {
  let audit = perLogger.get(logger);
  if (!audit) {
    audit = createAuditLog(logger);
    perLogger.set(logger, audit);
  }
  return audit;
}

export function createAuditLog(logger: Logger): AuditLog {
  const audit = logger.child({ audit: true });
  return {
    record(entry, message = 'broker mutation') {
      audit.info(
        {
          caller: entry.caller.name,
          role: entry.caller.role,
          requestId: entry.requestId,
          deploymentId: entry.deploymentId,
          operation: entry.operation,
          target: clip(entry.target),
          outcome: entry.outcome,
          ...(entry.code ? { code: entry.code } : {}),
          ...(entry.items ? { items: entry.items } : {}),
          ...(entry.dryRun ? { dryRun: true } : {}),
          ...(entry.broad ? { broad: entry.broad } : {}),
          ...(entry.justification ? { justification: entry.justification } : {}),
          ...(entry.idempotencyKey ? { idempotencyKey: entry.idempotencyKey } : {}),
          ...(entry.repeat ? { repeat: true } : {}),
          durationMs: Math.round(entry.durationMs * 10) / 10,
        },
        message,
      );
    },
  };
}

const REJECTED = new Set(['FORBIDDEN', 'BAD_USER_INPUT']);

/** How a thrown error ends up in the audit trail. */
export function auditOutcomeOf(error: unknown): { outcome: AuditOutcome; code: string } {
  if (!(error instanceof ExpectedError)) return { outcome: 'error', code: 'INTERNAL_SERVER_ERROR' };
  if (error.code === 'OUTCOME_UNKNOWN') return { outcome: 'unknown', code: error.code };
  return { outcome: REJECTED.has(error.code) ? 'rejected' : 'error', code: error.code };
}
