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

export { queryOf } from '../broker-common.ts';

/** v4 range filters take epoch seconds. */
export const epochSeconds = (date: Date | null | undefined) =>
  date ? Math.floor(date.getTime() / 1000) : undefined;
