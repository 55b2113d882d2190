import type { V4Context } from '../context.ts';
import { toSubOption } from '../format/subscription.ts';
import { ok, okPage } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { uriDecode } from '../http/url.ts';
import { paginate } from '../query/paging.ts';

interface RouteRow {
  topic: string;
  node: string;
}

/**
 * The `emqx_route` table derived from live subscriptions: one row per distinct bare filter and destination,
 * where a shared subscription's destination is `{Group, Node}` (still printed as the node).
 */
function routeTable(ctx: V4Context): RouteRow[] {
  const seen = new Map<string, RouteRow>();
  for (const sub of ctx.broker.subscriptions().map(toSubOption)) {
    const key = `${sub.topic}\u0000${sub.share ?? ''}\u0000${sub.node}`;
    if (!seen.has(key)) seen.set(key, { topic: sub.topic, node: sub.node });
  }
  return [...seen.values()];
}

/** Size of the route table (the `routes.count` gauge). */
export const routeCount = (ctx: V4Context): number => routeTable(ctx).length;

const APP = 'emqx_management';

/** `emqx_mgmt_api_routes` (4.4). */
export function topicRouteRoutes(ctx: V4Context): V4Route[] {
  return [
    {
      name: 'list_routes',
      method: 'GET',
      path: '/routes/',
      descr: 'List routes',
      app: APP,
      handler: ({ params }) => okPage(paginate(params, routeTable(ctx))),
    },
    {
      name: 'lookup_routes',
      method: 'GET',
      path: '/routes/:bin:topic',
      descr: 'Lookup routes to a topic',
      app: APP,
      handler: ({ bindings }) => {
        const topic = uriDecode(bindings.topic!);
        return ok(routeTable(ctx).filter((row) => row.topic === topic));
      },
    },
  ];
}
