import type { z } from 'zod';
import type { BrokerTransport } from '../api.ts';
import type { Page, PageRequest } from '../model.ts';
import { type ListRead, type PageMeta, readPage } from '../wire.ts';

/** v5 paging parameters (docs/emqx-api.md §1.3): `page`, `limit`, no leading underscore. */
export const pageParams = (page: PageRequest): Array<[string, string]> => [
  ['page', String(page.page)],
  ['limit', String(page.limit)],
];

export { queryOf } from '../wire.ts';

/** One page of a list read, with this version's page parameters. */
export const listPage = <T>(
  t: BrokerTransport,
  read: ListRead,
  schema: z.ZodType<{ data: T[]; meta?: PageMeta }>,
  page: PageRequest,
): Promise<Page<T>> => readPage(t, read, pageParams(page), schema, page);
