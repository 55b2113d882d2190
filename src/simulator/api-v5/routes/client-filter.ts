import type { MqttClientInfo } from '../../broker/types.ts';
import { CLIENT_FIELDS } from '../format/client.ts';
import { all, boolean, first, integer, oneOf, timestamp } from '../http/query.ts';
import { ApiError, badRequest } from '../http/reply.ts';

export interface ClientQuery {
  matches: (client: MqttClientInfo) => boolean;
  /** A `like_*` filter was used: the meta has no `count`. */
  fuzzy: boolean;
  fields: string[] | 'all';
}

type Check = (client: MqttClientInfo) => boolean;

function exactChecks(query: URLSearchParams): Check[] {
  const checks: Check[] = [];
  const clientIds = all(query, 'clientid');
  const usernames = all(query, 'username');
  const ip = first(query, 'ip_address');
  const state = oneOf(query, 'conn_state', ['connected', 'idle', 'disconnected'] as const);
  const cleanStart = boolean(query, 'clean_start');
  const protoVer = integer(query, 'proto_ver', 0);
  if (clientIds.length > 0) checks.push((c) => clientIds.includes(c.clientId));
  if (usernames.length > 0) checks.push((c) => c.username !== null && usernames.includes(c.username));
  if (ip !== undefined) checks.push((c) => c.ipAddress === ip);
  if (state !== undefined) checks.push((c) => c.connState === state);
  if (cleanStart !== undefined) checks.push((c) => c.cleanStart === cleanStart);
  if (protoVer !== undefined) checks.push((c) => c.protoVer === protoVer);
  return checks;
}

function rangeChecks(query: URLSearchParams): Check[] {
  const checks: Check[] = [];
  for (const [name, read] of [
    ['created_at', (c: MqttClientInfo) => c.createdAt],
    ['connected_at', (c: MqttClientInfo) => c.connectedAt],
  ] as const) {
    const gte = timestamp(query, `gte_${name}`);
    const lte = timestamp(query, `lte_${name}`);
    if (gte !== undefined) checks.push((c) => read(c) >= gte);
    if (lte !== undefined) checks.push((c) => read(c) <= lte);
  }
  return checks;
}

/** Exact and fuzzy on the same key: EMQX drops the fuzzy one. */
function fuzzyChecks(query: URLSearchParams): Check[] {
  const checks: Check[] = [];
  const likeClientId = query.has('clientid') ? undefined : first(query, 'like_clientid');
  const likeUsername = query.has('username') ? undefined : first(query, 'like_username');
  if (likeClientId !== undefined) checks.push((c) => c.clientId.includes(likeClientId));
  if (likeUsername !== undefined) checks.push((c) => c.username?.includes(likeUsername) ?? false);
  return checks;
}

function parseFields(query: URLSearchParams): string[] | 'all' {
  const text = first(query, 'fields');
  if (text === undefined || text === 'all') return 'all';
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.filter((f) => !CLIENT_FIELDS.has(f));
  if (unknown.length > 0 || fields.length === 0)
    throw badRequest(`the fields parameter has unknown fields: ${unknown.join(',')}`);
  return fields;
}

/** The `GET /clients` query: filters, whether the meta can count, and the `fields=` projection. */
export function parseClientQuery(query: URLSearchParams, nodeName: string): ClientQuery {
  const node = first(query, 'node');
  if (node !== undefined && node !== nodeName) throw new ApiError(500, 'NODE_DOWN', 'invalid node');
  const fuzzy = fuzzyChecks(query);
  const checks = [...exactChecks(query), ...rangeChecks(query), ...fuzzy];
  return {
    matches: (c) => checks.every((check) => check(c)),
    fuzzy: fuzzy.length > 0,
    fields: parseFields(query),
  };
}
