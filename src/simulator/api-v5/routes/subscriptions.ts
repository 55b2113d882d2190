import type { BrokerCore } from '../../broker/core.ts';
import { filterCovers, parseShared } from '../../broker/topic.ts';
import type { SubscriptionInfo } from '../../broker/types.ts';
import { formatSubscription } from '../format/client.ts';
import { queryPage } from '../http/paging.ts';
import { boolean, first, integer, pageParams } from '../http/query.ts';
import { ApiError, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

type Check = (s: SubscriptionInfo) => boolean;

function checkNode(query: URLSearchParams, nodeName: string): void {
  const node = first(query, 'node');
  if (node !== undefined && node !== nodeName) throw new ApiError(500, 'NODE_DOWN', 'invalid node');
}

function subscriptionChecks(query: URLSearchParams): { checks: Check[]; fuzzy: boolean } {
  const checks: Check[] = [];
  const clientId = first(query, 'clientid');
  const qos = integer(query, 'qos', 0, 2);
  const topic = first(query, 'topic');
  const matchTopic = first(query, 'match_topic');
  const shareGroup = first(query, 'share_group');
  const durable = boolean(query, 'durable');
  if (clientId !== undefined) checks.push((s) => s.clientId === clientId);
  if (qos !== undefined) checks.push((s) => s.qos === qos);
  if (topic !== undefined) checks.push((s) => s.topic === topic);
  if (shareGroup !== undefined) checks.push((s) => parseShared(s.topic).group === shareGroup);
  if (durable === true) checks.push(() => false);
  if (matchTopic !== undefined) {
    if (matchTopic.startsWith('$share/')) throw new ApiError(400, 'INVALID_PARAMETER', 'match_topic_invalid');
    checks.push((s) => filterCovers(matchTopic, parseShared(s.topic).filter));
  }
  return { checks, fuzzy: matchTopic !== undefined };
}

/** The `emqx_route` table: one row per distinct filter subscribed on the node (shared ones without `$share`). */
function routeTable(core: BrokerCore): { topic: string; node: string }[] {
  const filters = new Set(core.listSubscriptions().map((s) => parseShared(s.topic).filter));
  return [...filters].map((topic) => ({ topic, node: core.nodeName }));
}

/** `/subscriptions` (every session's subscriptions) and `/topics` (the routing table). */
export function subscriptionRoutes(core: BrokerCore): Route[] {
  return [
    {
      path: '/subscriptions',
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          checkNode(query, core.nodeName);
          const { checks, fuzzy } = subscriptionChecks(query);
          const subs = core.listSubscriptions().filter((s) => checks.every((c) => c(s)));
          const { data, meta } = queryPage(subs, page, !fuzzy);
          return ok({ data: data.map(formatSubscription), meta });
        },
      },
    },
    {
      path: '/topics',
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          checkNode(query, core.nodeName);
          const topic = first(query, 'topic');
          const routes = routeTable(core).filter((r) => topic === undefined || r.topic === topic);
          return ok(queryPage(routes, page, true));
        },
      },
    },
    {
      path: '/topics/{topic}',
      methods: {
        GET: ({ params }) => {
          const routes = routeTable(core).filter((r) => r.topic === params.topic);
          if (routes.length === 0) throw new ApiError(404, 'TOPIC_NOT_FOUND', 'Topic not found');
          return ok(routes);
        },
      },
    },
  ];
}
