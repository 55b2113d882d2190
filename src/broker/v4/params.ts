import { z } from 'zod';
import type { BrokerTransport } from '../api.ts';
import type { Page, PageRequest } from '../model.ts';
import { type ListRead, type PageMeta, pageMetaSchema, readPage } from '../wire.ts';

/** v4 wire basics (docs/emqx-api.md §1.4): every success is `{code: 0, data, meta}`; paging is `_page/_limit`. */

export const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.literal(0), data, meta: pageMetaSchema });

export const pageParams = (page: PageRequest): Array<[string, string]> => [
  ['_page', String(page.page)],
  ['_limit', String(page.limit)],
];

export { queryOf } from '../wire.ts';

/** One page of a list read, with this version's page parameters. */
export const listPage = <T>(
  t: BrokerTransport,
  read: ListRead,
  schema: z.ZodType<{ data: T[]; meta?: PageMeta }>,
  page: PageRequest,
): Promise<Page<T>> => readPage(t, read, pageParams(page), schema, page);

/** v4 range filters take epoch seconds. */
export const epochSeconds = (date: Date | null | undefined) =>
  date ? Math.floor(date.getTime() / 1000) : undefined;
