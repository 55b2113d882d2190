import type { Alarm, BrokerFreshness, ClusterNode } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import type { Deployment } from '../../../platform/model.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';

/**
 * Cluster nodes (each with its own stats and metrics), cluster stats, metrics and alarms: v4 nests counters
 * per node, v5 aggregates; both look alike here.
 */

interface Counters {
  raw: Record<string, number>;
  freshness: BrokerFreshness;
}

/** A node with the deployment it belongs to, so its own counters can be read from its broker. */
interface ClusterNodeView extends ClusterNode {
  deployment: Deployment;
}

const ClusterNodeRef = builder.objectRef<ClusterNodeView>('ClusterNode');

const counter = (key: string) => (c: Counters) => c.raw[key] ?? null;

const BrokerStatsRef = builder.objectRef<Counters>('BrokerStats').implement({
  description:
    'Counts of the cluster (v4 per-node stats summed; topics and retained counted once) or of one node',
  fields: (t) => ({
    connections: t.int({ nullable: true, resolve: counter('connections.count') }),
    subscriptions: t.int({ nullable: true, resolve: counter('subscriptions.count') }),
    topics: t.int({ nullable: true, resolve: counter('topics.count') }),
    retained: t.int({ nullable: true, resolve: counter('retained.count') }),
    sessions: t.int({ nullable: true, resolve: counter('sessions.count') }),
    raw: t.field({ type: 'JSON', resolve: (c) => c.raw }),
    freshness: t.field({ type: FreshnessType, resolve: (c) => c.freshness }),
  }),
});

const BrokerMetricsRef = builder.objectRef<Counters>('BrokerMetrics').implement({
  description: 'Message counters of the cluster or of one node, since the node(s) started',
  fields: (t) => ({
    messagesReceived: t.int({ nullable: true, resolve: counter('messages.received') }),
    messagesSent: t.int({ nullable: true, resolve: counter('messages.sent') }),
    messagesDropped: t.int({ nullable: true, resolve: counter('messages.dropped') }),
    raw: t.field({ type: 'JSON', resolve: (c) => c.raw }),
    freshness: t.field({ type: FreshnessType, resolve: (c) => c.freshness }),
  }),
});

const AlarmRef = builder.objectRef<Alarm>('Alarm').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    message: t.exposeString('message', { nullable: true }),
    node: t.exposeString('node', { nullable: true }),
    activatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.activatedAt }),
    deactivatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.deactivatedAt }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (a) => a.details }),
  }),
});

ClusterNodeRef.implement({
  description: 'One EMQX node of the deployment',
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.exposeString('status', { nullable: true, description: 'lower case, e.g. running' }),
    version: t.exposeString('version', { nullable: true }),
    uptimeSeconds: t.exposeInt('uptimeSeconds', { nullable: true }),
    connections: t.exposeInt('connections', { nullable: true }),
    stats: t.field({
      type: BrokerStatsRef,
      nullable: true,
      description: "This node's gauges (v4/v5 `GET /nodes/{node}/stats`)",
      resolve: async (n, _, context) => {
        const { value, freshness } = await brokerOf(context, n.deployment).api.nodeStats(n.name);
        return { ...value, freshness };
      },
    }),
    metrics: t.field({
      type: BrokerMetricsRef,
      nullable: true,
      description: "This node's counters (v4/v5 `GET /nodes/{node}/metrics`)",
      resolve: async (n, _, context) => {
        const { value, freshness } = await brokerOf(context, n.deployment).api.nodeMetrics(n.name);
        return { ...value, freshness };
      },
    }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  nodes: t.field({
    type: [ClusterNodeRef],
    nullable: true,
    authScopes: { viewer: true },
    resolve: async (deployment, _, context) =>
      (await brokerOf(context, deployment).api.nodes()).value.map((node) => ({ ...node, deployment })),
  }),
  stats: t.field({
    type: BrokerStatsRef,
    nullable: true,
    authScopes: { viewer: true },
    resolve: async (deployment, _, context) => {
      const { value, freshness } = await brokerOf(context, deployment).api.stats();
      return { ...value, freshness };
    },
  }),
  metrics: t.field({
    type: BrokerMetricsRef,
    nullable: true,
    authScopes: { viewer: true },
    resolve: async (deployment, _, context) => {
      const { value, freshness } = await brokerOf(context, deployment).api.metrics();
      return { ...value, freshness };
    },
  }),
  alarms: t.field({
    type: [AlarmRef],
    nullable: true,
    authScopes: { viewer: true },
    args: { activated: t.arg.boolean({ description: 'true: active, false: history, null: both' }) },
    resolve: async (deployment, { activated }, context) =>
      (await brokerOf(context, deployment).api.alarms(activated ?? null)).value,
  }),
}));
