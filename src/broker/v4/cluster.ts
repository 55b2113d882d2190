import { z } from 'zod';
import type { BrokerInspectionApi, BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { Alarm, ClusterNode } from '../model.ts';
import { count, epochMicrosTime, nodeNotFound, numericOnly, sumCounters } from '../wire.ts';
import { whenUpstreamCode } from '../write-support.ts';
import { envelope } from './params.ts';

/**
 * v4 nodes, stats, metrics and alarms (docs/emqx-api.md §3.1, §3.7, §3.8): uptime as text, counters nested per
 * node under `stats` / `metrics`, alarms per node with times in microseconds.
 */

const UNIT_SECONDS: Record<string, number> = { day: 86_400, hour: 3_600, minute: 60, second: 1 };

/** `"4 hours, 21 minutes, 19 seconds"` → 15679. */
export function uptimeSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  let total = 0;
  let matched = false;
  for (const [, amount, unit] of text.matchAll(/(\d+)\s*(day|hour|minute|second)s?/g)) {
    total += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
    matched = true;
  }
  return matched ? total : null;
}

const nodeSchema = z
  .object({
    node: z.string(),
    node_status: z.string().nullish(),
    version: z.string().nullish(),
    uptime: z.string().nullish(),
    connections: count,
  })
  .transform(
    (n): ClusterNode => ({
      name: n.node,
      status: n.node_status?.toLowerCase() ?? null,
      version: n.version ?? null,
      uptimeSeconds: uptimeSeconds(n.uptime),
      connections: n.connections,
    }),
  );

const nodesSchema = envelope(z.array(nodeSchema));
const counters = z.record(z.string(), z.unknown()).transform(numericOnly);
const statsSchema = envelope(z.array(z.object({ node: z.string(), stats: counters })));
const metricsSchema = envelope(z.array(z.object({ node: z.string(), metrics: counters })));

const alarmSchema = z.object({
  name: z.string(),
  message: z.string().nullish(),
  details: z.unknown(),
  activate_at: epochMicrosTime,
  deactivate_at: epochMicrosTime,
});
const alarmsSchema = envelope(z.array(z.object({ node: z.string(), alarms: z.array(alarmSchema) })));

const nodeCountersSchema = envelope(counters);
const RPC_ERROR = '101';

export function v4Cluster(
  t: BrokerTransport,
): Pick<BrokerReadApi, 'nodes' | 'stats' | 'metrics' | 'alarms'> &
  Pick<BrokerInspectionApi, 'nodeStats' | 'nodeMetrics'> {
  async function nodes() {
    const path = brokerPath`/nodes`;
    const reply = await t.send({ domain: 'cluster', method: 'GET', path });
    return {
      value: parseBody(nodesSchema, reply.body, path.route).data,
      freshness: reply.freshness,
    };
  }

  async function stats() {
    const path = brokerPath`/stats`;
    const reply = await t.send({ domain: 'cluster', method: 'GET', path });
    const perNode = parseBody(statsSchema, reply.body, path.route).data.map((n) => n.stats);
    return { value: { raw: sumCounters(perNode) }, freshness: reply.freshness };
  }

  async function metrics() {
    const path = brokerPath`/metrics`;
    const reply = await t.send({ domain: 'cluster', method: 'GET', path });
    const perNode = parseBody(metricsSchema, reply.body, path.route).data.map((n) => n.metrics);
    return { value: { raw: sumCounters(perNode) }, freshness: reply.freshness };
  }

  async function alarms(activated: boolean | null) {
    const path =
      activated === null
        ? brokerPath`/alarms`
        : activated
          ? brokerPath`/alarms/activated`
          : brokerPath`/alarms/deactivated`;
    const reply = await t.send({ domain: 'alarms', method: 'GET', path });
    const perNode = parseBody(alarmsSchema, reply.body, path.route).data;
    const value = perNode.flatMap(({ node, alarms: list }) =>
      list.map(
        (a): Alarm => ({
          name: a.name,
          message: a.message ?? null,
          node,
          activatedAt: a.activate_at,
          deactivatedAt: a.deactivate_at,
          details: a.details ?? null,
        }),
      ),
    );
    return { value, freshness: reply.freshness };
  }

  /** Unknown names are a 404 (not an atom) or code 101 `nodedown` (an atom, but no such member). */
  async function ofNode(kind: 'stats' | 'metrics', node: string) {
    const path = kind === 'stats' ? brokerPath`/nodes/${node}/stats` : brokerPath`/nodes/${node}/metrics`;
    try {
      const reply = await t.send({ domain: 'cluster', method: 'GET', path, accept: [404] });
      if (reply.status === 404) throw nodeNotFound(node);
      return {
        value: { raw: parseBody(nodeCountersSchema, reply.body, path.route).data },
        freshness: reply.freshness,
      };
    } catch (error) {
      return whenUpstreamCode(error, [RPC_ERROR], () => nodeNotFound(node));
    }
  }

  return {
    nodes,
    stats,
    metrics,
    alarms,
    nodeStats: (node) => ofNode('stats', node),
    nodeMetrics: (node) => ofNode('metrics', node),
  };
}
