import { RENAMED_METRICS, V4_METRIC_NAMES } from '../catalog/metric-names.ts';
import type { V4Context } from '../context.ts';
import { ok } from '../http/reply.ts';
import type { V4Route } from '../http/router.ts';
import { onNode } from './node-scope.ts';
import { routeCount } from './topic-routes.ts';

/** The rule engine's share of `/metrics`: summed over every rule. */
function ruleEngineMetrics(ctx: V4Context) {
  let matched = 0;
  let success = 0;
  let failure = 0;
  for (const rule of ctx.broker.rules.list()) {
    const m = ctx.broker.rules.metrics(rule.id);
    matched += m?.matched ?? 0;
    success += m?.['actions.success'] ?? 0;
    failure += m?.['actions.failed'] ?? 0;
  }
  return { 'rules.matched': matched, 'actions.success': success, 'actions.failure': failure };
}

/** `emqx_metrics:all()` with v4 names. */
export function v4Metrics(ctx: V4Context): Record<string, number> {
  const core = ctx.broker.metrics();
  const rules: Record<string, number> = ruleEngineMetrics(ctx);
  return Object.fromEntries(
    V4_METRIC_NAMES.map((name) => [name, rules[name] ?? core[RENAMED_METRICS[name] ?? name] ?? 0]),
  );
}

/** Gauges with their high-water marks; the rule engine's own gauges carry their current value as max. */
export function v4Stats(ctx: V4Context): Record<string, number> {
  const core = ctx.broker.stats();
  const pick = (gauge: string) => ({
    [`${gauge}.count`]: core[`${gauge}.count`] ?? 0,
    [`${gauge}.max`]: core[`${gauge}.max`] ?? 0,
  });
  const routes = routeCount(ctx);
  const rules = ctx.broker.rules.list();
  const actions = rules.reduce((sum, rule) => sum + rule.actions.length, 0);
  const resources = ctx.resources.list().length;
  return {
    ...['connections', 'live_connections', 'channels', 'sessions', 'topics', 'suboptions', 'subscribers']
      .map(pick)
      .reduce((all, one) => Object.assign(all, one), {}),
    ...pick('subscriptions'),
    ...pick('subscriptions.shared'),
    'routes.count': routes,
    'routes.max': Math.max(routes, core['topics.max'] ?? 0),
    ...pick('retained'),
    'rules.count': rules.length,
    'rules.max': rules.length,
    'actions.count': actions,
    'actions.max': actions,
    'resources.count': resources,
    'resources.max': resources,
  };
}

const APP = 'emqx_management';

/** `emqx_mgmt_api_metrics` and `emqx_mgmt_api_stats` (4.4): nested per node in the cluster form. */
export function metricsStatsRoutes(ctx: V4Context): V4Route[] {
  const node = () => ctx.broker.nodeName;
  return [
    {
      name: 'list_all_metrics',
      method: 'GET',
      path: '/metrics/',
      descr: 'A list of metrics of all nodes in the cluster',
      app: APP,
      handler: () => ok([{ node: node(), metrics: v4Metrics(ctx) }]),
    },
    {
      name: 'list_node_metrics',
      method: 'GET',
      path: '/nodes/:atom:node/metrics/',
      descr: 'A list of metrics of a node',
      app: APP,
      handler: ({ bindings }) => onNode(ctx, bindings.node, () => ok(v4Metrics(ctx))),
    },
    {
      name: 'list_stats',
      method: 'GET',
      path: '/stats/',
      descr: 'A list of stats of all nodes in the cluster',
      app: APP,
      handler: () => ok([{ node: node(), stats: v4Stats(ctx) }]),
    },
    {
      name: 'lookup_node_stats',
      method: 'GET',
      path: '/nodes/:atom:node/stats/',
      descr: 'A list of stats of a node',
      app: APP,
      handler: ({ bindings }) => onNode(ctx, bindings.node, () => ok(v4Stats(ctx))),
    },
  ];
}
