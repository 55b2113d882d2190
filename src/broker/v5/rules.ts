import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { PageRequest, Rule } from '../model.ts';
import { pageMetaSchema, textTime } from '../wire.ts';
import { listPage } from './params.ts';

/** v5 rules (docs/emqx-api.md §4.6): `sql`, `enable`, `from`; metrics are a separate call. */

export const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    sql: z.string(),
    enable: z.boolean().default(true),
    description: z.string().nullish(),
    from: z.array(z.string()).default([]),
    actions: z.array(z.unknown()).default([]),
    created_at: textTime,
  })
  .transform(
    (r): Rule => ({
      id: r.id,
      name: r.name || null,
      sql: r.sql,
      enabled: r.enable,
      description: r.description || null,
      topics: r.from,
      actions: r.actions,
      createdAt: r.created_at,
    }),
  );

const listSchema = z.object({ data: z.array(ruleSchema), meta: pageMetaSchema });
const metricsSchema = z.object({ metrics: z.record(z.string(), z.unknown()), node_metrics: z.unknown() });

export function v5Rules(t: BrokerTransport): Pick<BrokerReadApi, 'listRules' | 'getRule' | 'ruleMetrics'> {
  async function listRules(page: PageRequest) {
    const path = brokerPath`/rules`;
    return listPage(t, { domain: 'rules', path }, listSchema, page);
  }

  async function getRule(id: string) {
    const path = brokerPath`/rules/${id}`;
    const reply = await t.send({ domain: 'rules', method: 'GET', path, accept: [404] });
    if (reply.status === 404) return { value: null, freshness: reply.freshness };
    return { value: parseBody(ruleSchema, reply.body, path.route), freshness: reply.freshness };
  }

  async function ruleMetrics(id: string) {
    const path = brokerPath`/rules/${id}/metrics`;
    const reply = await t.send({ domain: 'rules', method: 'GET', path, accept: [404] });
    if (reply.status === 404) return { value: null, freshness: reply.freshness };
    const body = parseBody(metricsSchema, reply.body, path.route);
    return { value: { ...body.metrics, nodes: body.node_metrics }, freshness: reply.freshness };
  }

  return { listRules, getRule, ruleMetrics };
}
