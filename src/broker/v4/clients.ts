import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import { matchesClient } from '../client-match.ts';
import { clientWireSchema, V4_CLIENT_FIELDS } from '../client-wire.ts';
import type { ClientQuery, Fetched, MqttClient, Page, PageRequest } from '../model.ts';
import { envelope, epochSeconds, listPage, queryOf } from './params.ts';

/**
 * v4 clients (docs/emqx-api.md §3.2): `_page/_limit`, `_like_*`, `_gte_/_lte_` in epoch seconds, one value per
 * filter, `GET /clients/{id}` answers an array (empty when unknown), times `YYYY-MM-DD HH:mm:ss` UTC.
 */

const clientSchema = clientWireSchema(V4_CLIENT_FIELDS);
const listSchema = envelope(z.array(clientSchema));

function clientParams(query: ClientQuery): URLSearchParams {
  return queryOf({
    clientid: query.clientIds?.[0],
    _like_clientid: query.clientIdContains || undefined,
    username: query.username,
    _like_username: query.usernameContains || undefined,
    ip_address: query.ipAddress,
    conn_state: query.connState,
    clean_start: query.cleanStart,
    proto_ver: query.protoVer,
    _gte_connected_at: epochSeconds(query.connectedAfter),
    _lte_connected_at: epochSeconds(query.connectedBefore),
    _gte_created_at: epochSeconds(query.createdAfter),
    _lte_created_at: epochSeconds(query.createdBefore),
  });
}

export function v4Clients(t: BrokerTransport): Pick<BrokerReadApi, 'listClients' | 'getClients'> {
  async function getClient(clientId: string): Promise<Fetched<MqttClient | null>> {
    const path = brokerPath`/clients/${clientId}`;
    const reply = await t.send({ domain: 'clients', method: 'GET', path });
    const body = parseBody(listSchema, reply.body, path.route);
    return { value: body.data[0] ?? null, freshness: reply.freshness };
  }

  /** Several IDs: single reads (the transport caps how many run at once), filtered and paged here. */
  async function listByIds(query: ClientQuery, page: PageRequest): Promise<Page<MqttClient>> {
    const found = await getClients(query.clientIds ?? []);
    const clients = found.flatMap((f) => (f.value && matchesClient(f.value, query) ? [f.value] : []));
    const start = (page.page - 1) * page.limit;
    const oldest = found.reduce((a, b) => (b.freshness.fetchedAt < a.freshness.fetchedAt ? b : a));
    return {
      items: clients.slice(start, start + page.limit),
      totalCount: clients.length,
      hasNext: start + page.limit < clients.length,
      freshness: oldest.freshness,
    };
  }

  async function listClients(query: ClientQuery, page: PageRequest) {
    if ((query.clientIds?.length ?? 0) > 1) return listByIds(query, page);
    const path = query.node ? brokerPath`/nodes/${query.node}/clients` : brokerPath`/clients`;
    const params = clientParams(query);
    return listPage(t, { domain: 'clients', path, query: params }, listSchema, page);
  }

  async function getClients(clientIds: readonly string[]) {
    const unique = [...new Set(clientIds)];
    const results = new Map(await Promise.all(unique.map(async (id) => [id, await getClient(id)] as const)));
    return clientIds.map((id) => results.get(id) as Fetched<MqttClient | null>);
  }

  return { listClients, getClients };
}
