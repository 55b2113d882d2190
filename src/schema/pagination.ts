import { z } from 'zod';

/** Largest `first`/`last` a connection accepts. */
export const MAX_PAGE_SIZE = 100;

/** Validation for Relay connection arguments: bounded page sizes, no negative counts. */
export const pageSize = z
  .object({
    first: z.number().int().min(0).max(MAX_PAGE_SIZE, `first must be at most ${MAX_PAGE_SIZE}`).nullish(),
    last: z.number().int().min(0).max(MAX_PAGE_SIZE, `last must be at most ${MAX_PAGE_SIZE}`).nullish(),
  })
  .passthrough();
