import type { BrokerCore } from '../broker/core.ts';
import type { SimHandler } from '../types.ts';
import { createBrokerPort } from './broker-adapter.ts';
import type { V4Context } from './context.ts';
import { createRouter, type V4Route } from './http/router.ts';
import { aclCacheRoutes } from './routes/acl-cache.ts';
import { alarmRoutes } from './routes/alarms.ts';
import { bannedRoutes } from './routes/banned.ts';
import { brokerNodeRoutes } from './routes/brokers-nodes.ts';
import { clientRoutes } from './routes/clients.ts';
import { listenerRoutes } from './routes/listeners.ts';
import { metricsStatsRoutes } from './routes/metrics-stats.ts';
import { pluginRoutes } from './routes/plugins.ts';
import { publishRoutes } from './routes/publish.ts';
import { resourceRoutes } from './routes/resources.ts';
import { RULE_ENGINE_ATOMS, ruleCatalogRoutes } from './routes/rule-catalog.ts';
import { ruleRoutes } from './routes/rules.ts';
import { subscribeRoutes } from './routes/subscribe.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { topicRouteRoutes } from './routes/topic-routes.ts';
import { createPluginRegistry } from './state/plugins.ts';
import { createResourceStore } from './state/resources.ts';

export interface V4ApiOptions {
  /** The App ID that Basic auth must carry. */
  appId: string;
  /** The App Secret that Basic auth must carry. */
  appSecret: string;
  /** Ignored beyond documentation: the node name is the core's (`BrokerCore.nodeName`). */
  nodeName?: string;
  /** Clock for `datetime`, alarm durations, ban defaults and rule/action ids. @default Date.now */
  now?: () => number;
}

/** Atoms every EMQX node has, so paths naming them pass `list_to_existing_atom/1`. */
const COMMON_ATOMS = ['emqx', 'undefined', 'true', 'false', 'ok', 'error', 'node', 'all'];

/** Routes in the order EMQX 4.4 registers them (matching is first-wins, as in minirest). */
function routes(ctx: V4Context): V4Route[] {
  return [
    ...brokerNodeRoutes(ctx),
    ...clientRoutes(ctx),
    ...aclCacheRoutes(ctx),
    ...subscriptionRoutes(ctx),
    ...topicRouteRoutes(ctx),
    ...subscribeRoutes(ctx),
    ...publishRoutes(ctx),
    ...pluginRoutes(ctx),
    ...listenerRoutes(ctx),
    ...metricsStatsRoutes(ctx),
    ...alarmRoutes(ctx),
    ...bannedRoutes(ctx),
    ...ruleRoutes(ctx),
    ...ruleCatalogRoutes(ctx),
    ...resourceRoutes(ctx),
  ];
}

/**
 * The EMQX 4.4.19 management API (`/api/v4`) over a simulated broker: minirest 0.3 transport (HTTP 200 with
 * `code` for application errors, plain-text 401/404/400/500), every answer computed from the core's state.
 */
export function createV4Api(core: BrokerCore, options: V4ApiOptions): SimHandler {
  const ctx: V4Context = {
    broker: createBrokerPort(core),
    now: options.now ?? Date.now,
    plugins: createPluginRegistry(),
    resources: createResourceStore(),
  };
  const atoms = new Set([...COMMON_ATOMS, ...RULE_ENGINE_ATOMS, ...ctx.plugins.list().map((p) => p.name)]);
  return createRouter({
    app: { appId: options.appId, appSecret: options.appSecret },
    routes: routes(ctx),
    atomExists: (name) => name === core.nodeName || atoms.has(name),
    appActive: (app) => ctx.plugins.isActive(app),
  });
}
