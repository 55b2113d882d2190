import type { z } from 'zod';
import { BadUserInputError } from '../errors.ts';

/** The GraphQL argument path of a zod issue, e.g. `input.payload` or `messages.2.topic`. */
const fieldOf = (issue: z.core.$ZodIssue | undefined): string | undefined =>
  issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;

/**
 * Parses GraphQL arguments with a zod schema whose keys are the argument names, so a refusal names the
 * argument the caller got wrong. Throws BAD_USER_INPUT; nothing upstream has been called at that point.
 */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldOf(issue);
  const message = issue?.message ?? 'Invalid input';
  throw new BadUserInputError(field ? `${field}: ${message}` : message, field);
}
