import { getParam, type V4Params } from '../http/params.ts';
import { HandlerCrash } from '../http/reply.ts';

/** `emqx_mgmt:max_row_limit()`: the default `_limit`. */
export const MAX_ROW_LIMIT = 10_000;

export interface PageMeta {
  page: number;
  limit: number;
  count: number;
  hasnext?: boolean;
}

/** `binary_to_integer/1`, which crashes the handler on anything but an optionally signed decimal. */
export function toInteger(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) return Number.parseInt(value, 10);
  throw new HandlerCrash(`badarg: binary_to_integer(${String(value)})`);
}

/** `emqx_mgmt_api:page/1` (default 1). */
export const pageParam = (params: V4Params): number => toInteger(getParam(params, '_page') ?? '1');

/** `emqx_mgmt_api:limit/1` (default `max_row_limit`). */
export function limitParam(params: V4Params): number {
  const limit = getParam(params, '_limit');
  return limit === undefined ? MAX_ROW_LIMIT : toInteger(limit);
}

const startOf = (page: number, limit: number): number => (page > 1 ? (page - 1) * limit : 0);

/** `lists:sublist(L, N)`, which crashes on a negative length. */
function sublist<T>(rows: readonly T[], start: number, length: number): T[] {
  if (length < 0) throw new HandlerCrash('function_clause: lists:sublist');
  return rows.slice(start, start + length);
}

/**
 * `emqx_mgmt_api:cluster_query/3` and `node_query/4`: one extra row is fetched to compute `hasnext`;
 * `count` is the table size without filters and -1 as soon as any filter parameter is present.
 */
export function queryPage<T>(
  params: V4Params,
  rows: readonly T[],
  options: { filtered: boolean; tableSize: number },
): { data: T[]; meta: Required<PageMeta> } {
  const page = pageParam(params);
  const limit = limitParam(params);
  const fetched = sublist(rows, startOf(page, limit), limit + 1);
  const meta = {
    page,
    limit,
    count: options.filtered ? -1 : options.tableSize,
    hasnext: fetched.length > limit,
  };
  return { data: sublist(fetched, 0, limit), meta };
}

/** `emqx_mgmt_api:paginate/3` (routes, banned): exact `count`, no `hasnext`. */
export function paginate<T>(params: V4Params, rows: readonly T[]): { data: T[]; meta: PageMeta } {
  const page = pageParam(params);
  const limit = limitParam(params);
  return { data: sublist(rows, startOf(page, limit), limit), meta: { page, limit, count: rows.length } };
}
