import { z } from 'zod';
import { pageMetaSchema } from '../broker-common.ts';
import type { PageRequest } from '../broker-model.ts';

/** v4 wire basics (emqx-api.md §1.4): every success is `{code: 0, data, meta}`; paging is `_page/_limit`. */

export const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.literal(0), data, meta: pageMetaSchema });

export const pageParams = (page: PageRequest): Array<[string, string]> => [
  ['_page', String(page.page)],
  ['_limit', String(page.limit)],
];

/** Builds a query from optional values, skipping null and undefined. */
export function queryOf(
  values: Record<string, string | number | boolean | null | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value != null) params.set(key, String(value));
  return params;
}

/** v4 range filters take epoch seconds. */
export const epochSeconds = (date: Date | null | undefined) =>
  date ? Math.floor(date.getTime() / 1000) : undefined;
