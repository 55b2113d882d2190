import { z } from 'zod';
import type { BrokerInspectionApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { PageRequest, SessionMessage } from '../model.ts';
import { epochMillisTime, notSupported, pageMetaSchema, pageOfAll, ruleEventSchema } from '../wire.ts';
import { listPage } from './params.ts';

/**
 * v5 routing table (`/topics`), a client's authorization cache and session queues, and the rule events
 * (emqx-api.md §1.3, §4.1, §4.6). v5 has no route index like v4's `GET /api/v4`.
 */

const routeSchema = z
  .object({ topic: z.string(), node: z.string().nullish() })
  .transform((r) => ({ topic: r.topic, node: r.node ?? null }));
const routesSchema = z.object({ data: z.array(routeSchema), meta: pageMetaSchema });
const topicRoutesSchema = z.array(routeSchema);

/** A bare array (the OpenAPI's single object is wrong, emqx-api.md §5). */
const authzCacheSchema = z.array(
  z
    .object({ access: z.string(), topic: z.string(), result: z.string(), updated_time: epochMillisTime })
    .transform((e) => ({ access: e.access, topic: e.topic, result: e.result, updatedAt: e.updated_time })),
);

/** Positions: mqueue `<inserted_at>_<priority>`, inflight `<inserted_at>` (emqx-api.md §4.1). */
const sessionMessageSchema = (queue: 'mqueue' | 'inflight') =>
  z
    .object({
      msgid: z.string(),
      topic: z.string(),
      qos: z.number(),
      payload: z.string().nullish(),
      publish_at: epochMillisTime,
      from_clientid: z.string().nullish(),
      from_username: z.string().nullish(),
      inserted_at: z.union([z.string(), z.number()]),
      mqueue_priority: z.union([z.number(), z.string()]).nullish(),
    })
    .transform(
      (m): SessionMessage => ({
        messageId: m.msgid,
        topic: m.topic,
        qos: m.qos,
        payload: m.payload ?? null,
        publishedAt: m.publish_at,
        fromClientId: m.from_clientid ?? null,
        fromUsername: m.from_username ?? null,
        position: queue === 'mqueue' ? `${m.inserted_at}_${m.mqueue_priority ?? 0}` : String(m.inserted_at),
        priority: queue === 'mqueue' && m.mqueue_priority != null ? String(m.mqueue_priority) : null,
      }),
    );
const queueSchemas = {
  mqueue: z.object({ data: z.array(sessionMessageSchema('mqueue')) }),
  inflight: z.object({ data: z.array(sessionMessageSchema('inflight')) }),
};

const ruleEventsSchema = z.array(ruleEventSchema);

export function v5Inspection(t: BrokerTransport): Omit<BrokerInspectionApi, 'nodeStats' | 'nodeMetrics'> {
  async function routes(topic: string | null, page: PageRequest) {
    if (topic === null)
      return listPage(t, { domain: 'subscriptions', path: brokerPath`/topics` }, routesSchema, page);
    const path = brokerPath`/topics/${topic}`;
    const reply = await t.send({ domain: 'subscriptions', method: 'GET', path, accept: [404] });
    const found = reply.status === 404 ? [] : parseBody(topicRoutesSchema, reply.body, path.route);
    return pageOfAll(found, page, reply.freshness);
  }

  async function authorizationCache(clientId: string) {
    const path = brokerPath`/clients/${clientId}/authorization/cache`;
    const reply = await t.send({ domain: 'authzCache', method: 'GET', path, accept: [404] });
    const value = reply.status === 404 ? null : parseBody(authzCacheSchema, reply.body, path.route);
    return { value, freshness: reply.freshness };
  }

  /** One more than asked for, so whether another page exists is known without a second call. */
  async function sessionMessages(
    queue: 'mqueue' | 'inflight',
    clientId: string,
    after: string | null,
    limit: number,
  ) {
    const path =
      queue === 'mqueue'
        ? brokerPath`/clients/${clientId}/mqueue_messages`
        : brokerPath`/clients/${clientId}/inflight_messages`;
    const query = new URLSearchParams({
      position: after ?? 'none',
      limit: String(limit + 1),
      payload: 'base64',
    });
    const reply = await t.send({ domain: 'clients', method: 'GET', path, query, accept: [404] });
    if (reply.status === 404) return null;
    const rows = parseBody(queueSchemas[queue], reply.body, path.route).data;
    const items = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? (items[items.length - 1]?.position ?? null) : null;
    return { items, nextCursor, freshness: reply.freshness };
  }

  async function ruleEvents() {
    const path = brokerPath`/rule_events`;
    const reply = await t.send({ domain: 'rules', method: 'GET', path });
    return { value: parseBody(ruleEventsSchema, reply.body, path.route), freshness: reply.freshness };
  }

  return {
    routes,
    authorizationCache,
    sessionMessages,
    ruleEvents,
    apiEndpoints: notSupported('The v4 API index (GET /api/v4)', 'v5'),
  };
}
