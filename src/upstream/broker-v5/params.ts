import type { PageRequest } from '../broker-model.ts';

/** v5 paging parameters (emqx-api.md §1.3): `page`, `limit`, no leading underscore. */
export const pageParams = (page: PageRequest): Array<[string, string]> => [
  ['page', String(page.page)],
  ['limit', String(page.limit)],
];

/** Builds a query from optional values, skipping null and undefined. */
export function queryOf(
  values: Record<string, string | number | boolean | null | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value != null) params.set(key, String(value));
  return params;
}
