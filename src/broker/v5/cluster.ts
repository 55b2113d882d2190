import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { Alarm, ClusterNode } from '../model.ts';
import { count, numericOnly, pageMetaSchema, sumCounters, textTime } from '../wire.ts';

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

export function v5Cluster(t: BrokerTransport): Pick<BrokerReadApi, 'nodes' | 'stats' | 'metrics' | 'alarms'> {
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

  return {
    nodes,
    stats: () => aggregate(brokerPath`/stats`),
    metrics: () => aggregate(brokerPath`/metrics`),
    alarms,
  };
}
