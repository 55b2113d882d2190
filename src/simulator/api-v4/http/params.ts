import { HandlerCrash } from './reply.ts';

/**
 * minirest 0.3 hands every handler one property list: the query string pairs followed by the decoded JSON
 * body (an object's members, or an array's elements). Handlers read it with `proplists:get_value/2`, so the
 * first occurrence of a key wins and a query parameter shadows a body member of the same name.
 */
export type ParamItem = [string, unknown] | unknown;

export interface V4Params {
  /** Query pairs then body members/elements, in that order. */
  readonly items: readonly ParamItem[];
}

/** Marks tuples we built, so that a body array element like `["a", 1]` is never mistaken for a pair. */
const PAIR_MARK = Symbol('pair');

const isPair = (item: ParamItem): item is [string, unknown] =>
  Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && PAIR_MARK in item;

export const pair = (key: string, value: unknown): [string, unknown] =>
  Object.assign([key, value] as [string, unknown], { [PAIR_MARK]: true });

export function buildParams(query: URLSearchParams, body: unknown): V4Params {
  const items: ParamItem[] = [];
  for (const [key, value] of query) items.push(pair(key, value));
  if (Array.isArray(body)) items.push(...body);
  else if (isJsonObject(body)) for (const [key, value] of Object.entries(body)) items.push(pair(key, value));
  else if (body !== undefined) items.push(body);
  return { items };
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `proplists:get_value(Key, Params)`: `undefined` when absent. */
export function getParam(params: V4Params | readonly ParamItem[], key: string): unknown {
  const items = 'items' in params ? params.items : params;
  for (const item of items) if (isPair(item) && item[0] === key) return item[1];
  return undefined;
}

export function hasParam(params: V4Params, key: string): boolean {
  return params.items.some((item) => isPair(item) && item[0] === key);
}

/** The key/value pairs only, in order (what `lists:keymember`/`maps:from_list` see). */
export function paramPairs(params: V4Params): Array<[string, unknown]> {
  return params.items.filter(isPair);
}

/**
 * One element of a batch body as the batch handlers see it: a JSON object becomes a property list; anything
 * else (a query pair that came first, a scalar) is kept as is and makes `proplists:get_value` crash.
 */
export function batchItem(item: ParamItem): readonly ParamItem[] {
  const items = batchItemOrNull(item);
  if (items) return items;
  throw new HandlerCrash(`function_clause: proplists:get_value/2 on ${JSON.stringify(item)}`);
}

/** Like `batchItem`, for handlers that catch the crash (`publish_batch` turns it into code 108). */
export function batchItemOrNull(item: ParamItem): readonly ParamItem[] | null {
  if (isJsonObject(item)) return Object.entries(item).map(([key, value]) => pair(key, value));
  // A JSON array is a list without tuples: every lookup in it finds nothing.
  if (Array.isArray(item) && !isPair(item)) return [];
  return null;
}

/** Decodes a request body like `jsx:decode/1`; `null` signals a body that is not JSON (minirest: 400). */
export function decodeBody(body: Buffer): { value: unknown } | null {
  if (body.length === 0) return { value: undefined };
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return null;
  }
}
