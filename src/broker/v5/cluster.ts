import { z } from 'zod';
import type { BrokerInspectionApi, BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { Alarm, BrokerResource, ClusterNode } from '../model.ts';
import { count, nodeNotFound, numericOnly, pageMetaSchema, sumCounters, textTime } from '../wire.ts';

/** v5 nodes, stats, metrics and alarms (docs/emqx-api.md §4.7): flat objects, uptime in ms, RFC 3339 times. */

const nodeSchema = z
  .object({
    node: z.string(),
    node_status: z.string().nullish(),
    version: z.string().nullish(),
    uptime: count,
    connections: count,
  })
  .transform(
    (n): ClusterNode => ({
      name: n.node,
      status: n.node_status?.toLowerCase() ?? null,
      version: n.version ?? null,
      uptimeSeconds: n.uptime === null ? null : Math.floor(n.uptime / 1000),
      connections: n.connections,
    }),
  );

const nodesSchema = z.array(nodeSchema);
const counters = z.record(z.string(), z.unknown()).transform(numericOnly);
/** `aggregate=true` gives one object; a per-node array is summed the same way in case a proxy drops the flag. */
const aggregateSchema = z.union([counters, z.array(counters).transform(sumCounters)]);

const alarmSchema = z
  .object({
    name: z.string(),
    message: z.string().nullish(),
    node: z.string().nullish(),
    details: z.unknown(),
    activate_at: textTime,
    deactivate_at: textTime,
  })
  .transform(
    (a): Alarm => ({
      name: a.name,
      message: a.message ?? null,
      node: a.node ?? null,
      activatedAt: a.activate_at,
      deactivatedAt: a.deactivate_at,
      details: a.details ?? null,
    }),
  );

const alarmsSchema = z.object({ data: z.array(alarmSchema), meta: pageMetaSchema });

/** Alarms are few; one page of this size holds them all in practice. */
const ALARM_PAGE = 1000;

/**
 * `GET /listeners`: one entry per listener id with its status summed over the nodes (`running` may be
 * `"inconsistent"`); the node field is set when exactly one node runs it.
 */
const listenersSchema = z.array(
  z
    .object({
      id: z.string(),
      name: z.string().nullish(),
      type: z.string().nullish(),
      enable: z.boolean().nullish(),
      status: z
        .object({ running: z.union([z.boolean(), z.string()]).nullish() })
        .loose()
        .nullish(),
      node_status: z.array(z.object({ node: z.string() }).loose()).nullish(),
    })
    .loose()
    .transform(
      (l): BrokerResource => ({
        id: l.id,
        name: l.name ?? null,
        type: l.type ?? null,
        status: runningStatus(l.status?.running),
        enabled: l.enable ?? null,
        node: l.node_status?.length === 1 ? (l.node_status[0]?.node ?? null) : null,
        raw: l,
      }),
    ),
);

function runningStatus(running: boolean | string | null | undefined): string | null {
  if (running === true) return 'running';
  if (running === false) return 'stopped';
  return running ?? null;
}

export function v5Cluster(
  t: BrokerTransport,
): Pick<BrokerReadApi, 'nodes' | 'stats' | 'metrics' | 'alarms' | 'listeners'> &
  Pick<BrokerInspectionApi, 'nodeStats' | 'nodeMetrics'> {
  async function nodes() {
    const path = brokerPath`/nodes`;
    const reply = await t.send({ domain: 'cluster', method: 'GET', path });
    return { value: parseBody(nodesSchema, reply.body, path.route), freshness: reply.freshness };
  }

  async function aggregate(path: ReturnType<typeof brokerPath>) {
    const query = new URLSearchParams({ aggregate: 'true' });
    const reply = await t.send({ domain: 'cluster', method: 'GET', path, query });
    return { value: { raw: parseBody(aggregateSchema, reply.body, path.route) }, freshness: reply.freshness };
  }

  async function alarmsOf(activated: boolean) {
    const path = brokerPath`/alarms`;
    const query = new URLSearchParams({ activated: String(activated), page: '1', limit: String(ALARM_PAGE) });
    const reply = await t.send({ domain: 'alarms', method: 'GET', path, query });
    return { value: parseBody(alarmsSchema, reply.body, path.route).data, freshness: reply.freshness };
  }

  async function alarms(activated: boolean | null) {
    if (activated !== null) return alarmsOf(activated);
    const [active, history] = await Promise.all([alarmsOf(true), alarmsOf(false)]);
    const oldest = active.freshness.fetchedAt <= history.freshness.fetchedAt ? active : history;
    return { value: [...active.value, ...history.value], freshness: oldest.freshness };
  }

  async function ofNode(kind: 'stats' | 'metrics', node: string) {
    const path = kind === 'stats' ? brokerPath`/nodes/${node}/stats` : brokerPath`/nodes/${node}/metrics`;
    const reply = await t.send({ domain: 'cluster', method: 'GET', path, accept: [404] });
    if (reply.status === 404) throw nodeNotFound(node);
    return { value: { raw: parseBody(counters, reply.body, path.route) }, freshness: reply.freshness };
  }

  async function listeners() {
    const path = brokerPath`/listeners`;
    const reply = await t.send({ domain: 'listeners', method: 'GET', path });
    return { value: parseBody(listenersSchema, reply.body, path.route), freshness: reply.freshness };
  }

  return {
    nodes,
    stats: () => aggregate(brokerPath`/stats`),
    metrics: () => aggregate(brokerPath`/metrics`),
    alarms,
    nodeStats: (node) => ofNode('stats', node),
    nodeMetrics: (node) => ofNode('metrics', node),
    listeners,
  };
}
