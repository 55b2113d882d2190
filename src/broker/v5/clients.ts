import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import { clientWireSchema, V5_CLIENT_FIELDS } from '../client-wire.ts';
import type { ClientQuery, Fetched, MqttClient, MqttClientField, PageRequest } from '../model.ts';
import { pageMetaSchema } from '../wire.ts';
import { listPage } from './params.ts';

/** v5 clients (docs/emqx-api.md §4.1): `page/limit`, `like_*`, `gte_/lte_` in epoch ms, repeatable `clientid`. */

const clientSchema = clientWireSchema(V5_CLIENT_FIELDS);
const listSchema = z.object({ data: z.array(clientSchema), meta: pageMetaSchema });

/**
 * Room left for `clientid=` values in one multi-ID read; EMQX and the proxies in front of it accept
 * 8 KiB request lines, so 4000 characters of IDs keep well clear of that.
 */
export const MAX_ID_QUERY_CHARS = 4000;

function clientParams(query: ClientQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const id of query.clientIds ?? []) params.append('clientid', id);
  if (query.clientIdContains) params.set('like_clientid', query.clientIdContains);
  if (query.username != null) params.set('username', query.username);
  if (query.usernameContains) params.set('like_username', query.usernameContains);
  if (query.ipAddress != null) params.set('ip_address', query.ipAddress);
  if (query.connState != null) params.set('conn_state', query.connState);
  if (query.cleanStart != null) params.set('clean_start', String(query.cleanStart));
  if (query.protoVer != null) params.set('proto_ver', String(query.protoVer));
  if (query.node != null) params.set('node', query.node);
  const ranges = {
    gte_connected_at: query.connectedAfter,
    lte_connected_at: query.connectedBefore,
    gte_created_at: query.createdAfter,
    lte_created_at: query.createdBefore,
  };
  for (const [key, date] of Object.entries(ranges)) if (date) params.set(key, String(date.getTime()));
  return params;
}

/** Splits IDs into groups whose encoded `clientid=` parameters fit in one request line. */
export function chunkIds(ids: readonly string[], maxChars = MAX_ID_QUERY_CHARS): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const id of ids) {
    const cost = `clientid=${encodeURIComponent(id)}&`.length;
    if (current.length > 0 && size + cost > maxChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(id);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function v5Clients(t: BrokerTransport): Pick<BrokerReadApi, 'listClients' | 'getClients'> {
  const clientsPath = brokerPath`/clients`;

  async function listClients(
    query: ClientQuery,
    page: PageRequest,
    options: { fields?: readonly MqttClientField[] } = {},
  ) {
    const params = clientParams(query);
    if (options.fields) {
      params.set('fields', ['clientid', ...options.fields.map((f) => V5_CLIENT_FIELDS[f])].join(','));
    }
    return listPage(t, { domain: 'clients', path: clientsPath, query: params }, listSchema, page);
  }

  async function readChunk(ids: string[]): Promise<Array<Fetched<MqttClient | null>>> {
    const params = clientParams({ clientIds: ids });
    params.set('limit', String(ids.length));
    const reply = await t.send({ domain: 'clients', method: 'GET', path: clientsPath, query: params });
    const body = parseBody(listSchema, reply.body, clientsPath.route);
    const byId = new Map(body.data.map((c) => [c.clientId, c]));
    return ids.map((id) => ({ value: byId.get(id) ?? null, freshness: reply.freshness }));
  }

  async function getClients(clientIds: readonly string[]) {
    // Sorted and unique, so the same set of IDs is the same cached request whatever order it came in.
    const unique = [...new Set(clientIds)].sort();
    const results = (await Promise.all(chunkIds(unique).map(readChunk))).flat();
    const byId = new Map(unique.map((id, i) => [id, results[i] as Fetched<MqttClient | null>]));
    return clientIds.map((id) => byId.get(id) as Fetched<MqttClient | null>);
  }

  return { listClients, getClients };
}
