import { parseTime } from '../format/time.ts';
import { ApiError, badRequest } from './reply.ts';

/** EMQX keeps the first value of a repeated non-array parameter. */
export const first = (query: URLSearchParams, name: string): string | undefined =>
  query.get(name) ?? undefined;

/** Array parameters (`clientid=a&clientid=b`). */
export const all = (query: URLSearchParams, name: string): string[] => query.getAll(name);

export function integer(query: URLSearchParams, name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const text = first(query, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw badRequest(
      `the ${name} parameter expected type is integer(${min}..${max === Number.MAX_SAFE_INTEGER ? 'inf' : max}), got: ${text}`,
    );
  }
  return value;
}

export function boolean(query: URLSearchParams, name: string): boolean | undefined {
  const text = first(query, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false')
    throw badRequest(`the ${name} parameter expected type is boolean, got: ${text}`);
  return text === 'true';
}

export function oneOf<T extends string>(
  query: URLSearchParams,
  name: string,
  values: readonly T[],
): T | undefined {
  const text = first(query, name);
  if (text === undefined) return undefined;
  if (!values.includes(text as T))
    throw badRequest(`the ${name} parameter expected type is enum(${values.join(',')}), got: ${text}`);
  return text as T;
}

/** `gte_created_at` and friends: epoch milliseconds or an RFC 3339 string. */
export function timestamp(query: URLSearchParams, name: string): number | undefined {
  const text = first(query, name);
  if (text === undefined) return undefined;
  const value = parseTime(text, 'ms');
  if (value === null)
    throw new ApiError(
      400,
      'INVALID_PARAMETER',
      `the ${name} parameter expected type is epoch ms or rfc3339, got: ${text}`,
    );
  return value;
}

export interface PageParams {
  page: number;
  limit: number;
}

/** `page` (default 1) and `limit` (default 100, max 10000), schema-checked. */
export function pageParams(query: URLSearchParams): PageParams {
  return { page: integer(query, 'page', 1) ?? 1, limit: integer(query, 'limit', 1, 10_000) ?? 100 };
}
