import type { PageParams } from './query.ts';

export interface PageMeta {
  page: number;
  limit: number;
  hasnext?: boolean;
  count?: number;
}

/**
 * `emqx_mgmt_api:cluster_query` meta: `hasnext` always, `count` only when the query had no fuzzy filter
 * (`like_*`, `match_*`), as counting those would need a full scan.
 */
export function queryPage<T>(items: T[], { page, limit }: PageParams, withCount: boolean) {
  const data = items.slice((page - 1) * limit, page * limit);
  const meta: PageMeta = { page, limit, hasnext: items.length > page * limit };
  if (withCount) meta.count = items.length;
  return { data, meta };
}

/** The older `emqx_mgmt_api:paginate/3` meta: `{page, limit, count}` without `hasnext`. */
export function plainPage<T>(items: T[], { page, limit }: PageParams) {
  return { data: items.slice((page - 1) * limit, page * limit), meta: { page, limit, count: items.length } };
}
