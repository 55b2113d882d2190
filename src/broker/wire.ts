import { z } from 'zod';
import { NotFoundError, NotSupportedError } from '../errors.ts';
import type { BrokerTransport } from './api.ts';
import { type BrokerDomain, type BrokerPath, parseBody } from './call.ts';
import type { Ban, BanKind, BrokerFreshness, BrokerVersion, Page, PageRequest, RuleEvent } from './model.ts';

/** Translation helpers both adapters share: page meta, shared-subscription topics, times, numbers. */

/** `meta` of a paged list: v4 and v5 use the same names; `count` is -1 (v4) or absent (v5) when unknown. */
export const pageMetaSchema = z
  .object({
    page: z.number().optional(),
    limit: z.number().optional(),
    count: z.number().optional(),
    hasnext: z.boolean().optional(),
  })
  .optional();

export type PageMeta = z.infer<typeof pageMetaSchema>;

/** `hasnext` when sent; else from a real count; else a full page means there may be more. */
export function toPage<T>(
  items: T[],
  meta: PageMeta,
  request: PageRequest,
  freshness: BrokerFreshness,
): Page<T> {
  const count = meta?.count !== undefined && meta.count >= 0 ? meta.count : null;
  const hasNext =
    meta?.hasnext ?? (count !== null ? request.page * request.limit < count : items.length >= request.limit);
  return { items, totalCount: count, hasNext, freshness };
}

/** `$share/<group>/<topic>` → group and topic; any other topic has no group. */
export function splitShare(raw: string): { topic: string; shareGroup: string | null } {
  const match = raw.match(/^\$share\/([^/]+)\/(.+)$/);
  return match
    ? { shareGroup: match[1] as string, topic: match[2] as string }
    : { topic: raw, shareGroup: null };
}

export const notSupported = (what: string, version: BrokerVersion) => async (): Promise<never> => {
  throw new NotSupportedError(what, version);
};

/** What EMQX prints for "no time": v5's `infinity`, and v4's Erlang `undefined` atom rendered as text. */
const NO_TIME = new Set(['infinity', 'undefined']);

/**
 * An epoch number in one documented unit → ISO 8601 UTC, or null for EMQX's "no time" markers. Each wire
 * field says its unit (emqx-api.md §3, CONTRACT.md §5); the size of the number is never used to guess it,
 * so v4's "never" ban (`until: 253402300799` seconds) reads as 9999-12-31T23:59:59Z.
 */
function epochTime(msPerUnit: number) {
  return z
    .union([z.number(), z.string().refine((text) => NO_TIME.has(text), 'expected an epoch number')])
    .nullish()
    .transform((value): string | null =>
      typeof value === 'number' ? new Date(Math.round(value * msPerUnit)).toISOString() : null,
    );
}

/** v4 ban `at`/`until`. */
export const epochSecondsTime = epochTime(1000);
/** v4 rule `created_at`, ACL cache `updated_time`. */
export const epochMillisTime = epochTime(1);
/** v4 alarm `activate_at`/`deactivate_at`. */
export const epochMicrosTime = epochTime(0.001);

/**
 * A time EMQX writes as text → ISO 8601 UTC, or null: RFC 3339 with an offset (v5), or v4's zone-less
 * `YYYY-MM-DD HH:mm:ss`, which CONTRACT.md §5 reads as UTC. A number here is a contract error, not a guess.
 */
export const textTime = z
  .string()
  .nullish()
  .transform((value): string | null => {
    if (value === null || value === undefined || NO_TIME.has(value)) return null;
    const zoneless = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/);
    const parsed = Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : value);
    return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
  });

/** EMQX's free-text fields: v4 prints an unset one as the Erlang atom `undefined`; empty means unset too. */
export const wireText = z
  .string()
  .nullish()
  .transform((value) =>
    value === null || value === undefined || value === '' || value === 'undefined' ? null : value,
  );

/** A count that EMQX may send as a number, or as `"infinity"` / a string for `*_max` keys. */
export const count = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((value) => (typeof value === 'number' ? value : null));

/** A flat map of numeric counters; non-numeric values (`node`) are dropped. */
export function numericOnly(record: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** Cluster-wide keys that every node reports in full: summing them would multiply them. */
const CLUSTER_WIDE = /^(topics|retained|routes|suboptions|subscribers|durable_subscriptions)\./;

/** Adds per-node counters into one cluster view (`*.max` and cluster-wide keys take the largest). */
export function sumCounters(nodes: Array<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const counters of nodes) {
    for (const [key, value] of Object.entries(counters)) {
      const useMax = key.endsWith('.max') || CLUSTER_WIDE.test(key);
      total[key] = useMax ? Math.max(total[key] ?? 0, value) : (total[key] ?? 0) + value;
    }
  }
  return total;
}

/** Builds a query from optional values, skipping null and undefined. */
export function queryOf(
  values: Record<string, string | number | boolean | null | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value != null) params.set(key, String(value));
  return params;
}

/** A ban on the wire: v4 and v5 share the shape; `as` values and the time format differ per version. */
export const banWireSchema = (kindByAs: Record<string, BanKind>, time: z.ZodType<string | null>) =>
  z
    .object({
      as: z.string().refine((as) => as in kindByAs, 'unknown ban kind'),
      who: z.string(),
      by: wireText,
      reason: wireText,
      at: time,
      until: time,
    })
    .transform(
      (b): Ban => ({
        kind: kindByAs[b.as] as BanKind,
        who: b.who,
        by: b.by,
        reason: b.reason,
        at: b.at,
        until: b.until,
      }),
    );

/** A list read: the route and its filters; the page parameters are added by the version's `listPage`. */
export interface ListRead {
  domain: BrokerDomain;
  path: BrokerPath;
  query?: URLSearchParams;
}

/** GETs one page of a list with the given page parameters, parses it and reads its meta. */
export async function readPage<T>(
  t: BrokerTransport,
  read: ListRead,
  paging: Array<[string, string]>,
  schema: z.ZodType<{ data: T[]; meta?: PageMeta }>,
  page: PageRequest,
): Promise<Page<T>> {
  const query = new URLSearchParams(read.query);
  for (const [key, value] of paging) query.set(key, value);
  const reply = await t.send({ domain: read.domain, method: 'GET', path: read.path, query });
  const body = parseBody(schema, reply.body, read.path.route);
  return toPage(body.data, body.meta, page, reply.freshness);
}

/** A whole unpaged answer (a lookup by key) served as the requested page, so it pages like the list. */
export function pageOfAll<T>(items: T[], request: PageRequest, freshness: BrokerFreshness): Page<T> {
  const start = (request.page - 1) * request.limit;
  const end = start + request.limit;
  return { items: items.slice(start, end), totalCount: items.length, hasNext: end < items.length, freshness };
}

export const nodeNotFound = (node: string) =>
  new NotFoundError(`Node ${node} is not a node of this deployment`);

/** Rule event titles and descriptions are `{en, zh}`; the English text is served. */
const text = z
  .union([z.string(), z.object({ en: z.string().nullish() }).loose()])
  .nullish()
  .transform((v) => (typeof v === 'string' ? v : (v?.en ?? null)));

/** `emqx_rule_events:event_info/0`, the same shape in v4 and v5. */
export const ruleEventSchema = z
  .object({
    event: z.string(),
    title: text,
    description: text,
    columns: z.unknown(),
    test_columns: z.unknown(),
    sql_example: z.string().nullish(),
  })
  .loose()
  .transform(
    (e): RuleEvent => ({
      event: e.event,
      title: e.title,
      description: e.description,
      columns: e.columns ?? null,
      testColumns: e.test_columns ?? null,
      sqlExample: e.sql_example ?? null,
    }),
  );
