import { z } from 'zod';
import { UpstreamError } from '../../errors.ts';
import type { BrokerInspectionApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { PageRequest } from '../model.ts';
import { epochMillisTime, notSupported, pageOfAll, ruleEventSchema } from '../wire.ts';
import { envelope, listPage } from './params.ts';

/**
 * v4 routing table, ACL cache, rule events and the API index (emqx-api.md §3.2, §3.3, §3.10, §1.4). v4 has no
 * API for a session's queued or inflight messages.
 */

const routeSchema = z
  .object({ topic: z.string(), node: z.string().nullish() })
  .transform((r) => ({ topic: r.topic, node: r.node ?? null }));
const routesSchema = envelope(z.array(routeSchema));

const aclCacheSchema = envelope(
  z.array(
    z
      .object({ access: z.string(), topic: z.string(), result: z.string(), updated_time: epochMillisTime })
      .transform((e) => ({ access: e.access, topic: e.topic, result: e.result, updatedAt: e.updated_time })),
  ),
);

const ruleEventsSchema = envelope(z.array(ruleEventSchema));

const endpointsSchema = envelope(
  z.array(
    z
      .object({ name: z.string(), method: z.string(), path: z.string(), descr: z.string().nullish() })
      .transform((e) => ({ name: e.name, method: e.method, path: e.path, description: e.descr ?? null })),
  ),
);

/** Code 112: the client is not connected, so it has no cache. */
const CLIENT_OFFLINE = '112';

export function v4Inspection(t: BrokerTransport): Omit<BrokerInspectionApi, 'nodeStats' | 'nodeMetrics'> {
  async function routes(topic: string | null, page: PageRequest) {
    if (topic === null)
      return listPage(t, { domain: 'subscriptions', path: brokerPath`/routes` }, routesSchema, page);
    const path = brokerPath`/routes/${topic}`;
    const reply = await t.send({ domain: 'subscriptions', method: 'GET', path });
    return pageOfAll(parseBody(routesSchema, reply.body, path.route).data, page, reply.freshness);
  }

  async function authorizationCache(clientId: string) {
    const path = brokerPath`/clients/${clientId}/acl_cache`;
    try {
      const reply = await t.send({ domain: 'authzCache', method: 'GET', path });
      return { value: parseBody(aclCacheSchema, reply.body, path.route).data, freshness: reply.freshness };
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.upstreamCode !== CLIENT_OFFLINE) throw error;
      return { value: null, freshness: { source: 'UPSTREAM' as const, fetchedAt: Date.now() } };
    }
  }

  async function ruleEvents() {
    const path = brokerPath`/rule_events`;
    const reply = await t.send({ domain: 'rules', method: 'GET', path });
    return { value: parseBody(ruleEventsSchema, reply.body, path.route).data, freshness: reply.freshness };
  }

  async function apiEndpoints() {
    // `GET /api/v4` itself: the base address with no path after it.
    const path = { path: '', route: '/' };
    const reply = await t.send({ domain: 'cluster', method: 'GET', path });
    return { value: parseBody(endpointsSchema, reply.body, path.route).data, freshness: reply.freshness };
  }

  return {
    routes,
    authorizationCache,
    sessionMessages: notSupported("A session's queued and inflight messages", 'v4'),
    ruleEvents,
    apiEndpoints,
  };
}
