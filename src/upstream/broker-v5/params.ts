import type { PageRequest } from '../broker-model.ts';

/** v5 paging parameters (emqx-api.md §1.3): `page`, `limit`, no leading underscore. */
export const pageParams = (page: PageRequest): Array<[string, string]> => [
  ['page', String(page.page)],
  ['limit', String(page.limit)],
];

export { queryOf } from '../broker-common.ts';
