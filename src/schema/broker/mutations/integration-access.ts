import { z } from 'zod';
import { hasRole } from '../../../auth/caller.ts';
import type { GatewayContext } from '../../../context.ts';
import { BadUserInputError, ForbiddenError } from '../../../errors.ts';

/**
 * Opening a data path out of the broker (an action or connector that sends data to an external system, a
 * v4 resource) is a broad write (CONTRACT §6): admin only, with a justification. Closing one (delete,
 * disable) and probing are not.
 */

export const justification = z
  .string()
  .trim()
  .min(1, 'justification may not be empty')
  .max(500, 'justification is longer than 500 characters')
  .nullish()
  .transform((v) => v ?? null);

/** Connector types that bring data in (consumers) rather than send it out. */
const INBOUND = /_consumer$/;

export const sendsOut = (connectorType: string) => !INBOUND.test(connectorType);

/** Throws FORBIDDEN for a non-admin and BAD_USER_INPUT without a justification when `why` is not null. */
export function requireBroadWrite(
  context: GatewayContext,
  operation: string,
  why: string | null,
  given: string | null,
): void {
  if (why === null) return;
  if (!hasRole(context.caller, 'admin'))
    throw new ForbiddenError(`${operation} ${why}: a broad write, only an admin may make it`);
  if (given === null)
    throw new BadUserInputError(
      `justification: ${operation} ${why}, a broad write; say why in justification (at most 500 characters)`,
      'justification',
    );
}
