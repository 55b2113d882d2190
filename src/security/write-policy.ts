import { z } from 'zod';
import { type Caller, hasRole } from '../auth/caller.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { broadReason } from './broad-writes.ts';

/**
 * The one place that decides whether a caller may make a write, beyond the field's own role (CONTRACT §6):
 * a broad write (broad-writes.ts) needs the admin role and a reason the audit line keeps. Every mutation asks
 * here after validating its arguments and before it reads or writes anything upstream.
 */

export const MAX_JUSTIFICATION = 500;

/** `justification`: given, it must say something; left out, it is null. */
export const justificationArg = z
  .string()
  .trim()
  .min(1, 'justification may not be empty')
  .max(MAX_JUSTIFICATION, `justification is longer than ${MAX_JUSTIFICATION} characters`)
  .nullish()
  .transform((text) => text ?? null);

export interface WriteDecision {
  /** Why the write is broad; null for a narrow one. */
  broad: string | null;
  /** The caller's reason, when given (kept in the audit line for narrow writes too). */
  justification: string | null;
}

/** Throws FORBIDDEN (an operator asking for a broad write) or BAD_USER_INPUT (an admin without a reason). */
export function decideWrite(
  caller: Caller,
  operation: string,
  args: unknown,
  justification: string | null,
): WriteDecision {
  const broad = broadReason(operation, args);
  if (broad === null) return { broad, justification };
  if (!hasRole(caller, 'admin')) {
    throw new ForbiddenError(`${operation} of ${broad} is a broad write: only an admin may make it`);
  }
  if (justification === null) {
    throw new BadUserInputError(
      `justification: ${operation} of ${broad} is a broad write; say why in justification (at most ${MAX_JUSTIFICATION} characters)`,
      'justification',
    );
  }
  return { broad, justification };
}
