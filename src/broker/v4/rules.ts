import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type { PageRequest, Rule } from '../model.ts';
import { epochMillisTime } from '../wire.ts';
import { envelope, listPage } from './params.ts';

/**
 * v4 rule engine (docs/emqx-api.md §3.10): `rawsql`, `enabled`, `for`, `created_at` in ms, metrics inside the
 * rule; an unknown rule is `{"code":404}` inside HTTP 200.
 */

export const ruleSchema = z
  .object({
    id: z.string(),
    rawsql: z.string(),
    enabled: z.boolean().default(true),
    description: z.string().nullish(),
    for: z.union([z.array(z.string()), z.string()]).default([]),
    actions: z.array(z.unknown()).default([]),
    created_at: epochMillisTime,
    metrics: z.unknown(),
  })
  .transform(
    (r): Rule => ({
      id: r.id,
      name: null,
      sql: r.rawsql,
      enabled: r.enabled,
      description: r.description || null,
      topics: Array.isArray(r.for) ? r.for : [r.for],
      actions: r.actions,
      createdAt: r.created_at,
      metrics: r.metrics ?? null,
    }),
  );

// Built once: zod compiles a schema on its first parse, which would otherwise happen on every call.
const listSchema = envelope(z.array(ruleSchema));
const oneSchema = envelope(ruleSchema);

export function v4Rules(t: BrokerTransport): Pick<BrokerReadApi, 'listRules' | 'getRule' | 'ruleMetrics'> {
  async function listRules(page: PageRequest) {
    const path = brokerPath`/rules`;
    return listPage(t, { domain: 'rules', path }, listSchema, page);
  }

  async function getRule(id: string) {
    const path = brokerPath`/rules/${id}`;
    const reply = await t.send({ domain: 'rules', method: 'GET', path, accept: [404] });
    if (reply.status === 404) return { value: null, freshness: reply.freshness };
    return {
      value: parseBody(oneSchema, reply.body, path.route).data,
      freshness: reply.freshness,
    };
  }

  async function ruleMetrics(id: string) {
    const rule = await getRule(id);
    return { value: rule.value?.metrics ?? null, freshness: rule.freshness };
  }

  return { listRules, getRule, ruleMetrics };
}
