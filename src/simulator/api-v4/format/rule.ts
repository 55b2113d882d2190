import type { Rule, RuleAction } from '../../broker/rules/types.ts';
import type { V4Context } from '../context.ts';

/** A v4 action instance: `#action_instance{id, name, args, fallbacks}`. */
export interface V4ActionInstance {
  id: string;
  name: string;
  params: Record<string, unknown>;
  fallbacks: V4ActionInstance[];
}

/** What v4 keeps with a rule beyond the core's definition (stored in `rule.extra.v4`). */
export interface V4RuleExtra {
  actions: V4ActionInstance[];
  onActionFailed: 'continue' | 'stop';
}

/** How a rule made through another API looks to v4: `console` is `inspect`, references keep their id. */
function derivedAction(action: RuleAction, index: number): V4ActionInstance {
  if (action.kind === 'republish') {
    const { topic, qos, retain, payload } = action.args;
    const params = {
      target_topic: topic,
      target_qos: String(qos),
      target_retain: String(retain),
      payload_tmpl: payload,
    };
    return { id: `republish_${index}`, name: 'republish', params, fallbacks: [] };
  }
  if (action.kind === 'console')
    return { id: `inspect_${index}`, name: 'inspect', params: {}, fallbacks: [] };
  return { id: action.ref, name: action.ref, params: {}, fallbacks: [] };
}

export function v4Extra(rule: Rule): V4RuleExtra {
  const stored = rule.extra.v4 as V4RuleExtra | undefined;
  return stored ?? { actions: rule.actions.map(derivedAction), onActionFailed: 'continue' };
}

/**
 * `emqx_rule_metrics:get_action_metrics/1` per instance. The core counts action outcomes per rule, so the
 * counters can be attributed only when the rule has a single action (see /work/notes/v4-needs.md).
 */
function actionMetrics(ctx: V4Context, rule: Rule, single: boolean) {
  const m = ctx.broker.rules.metrics(rule.id);
  const own = single && m;
  return [
    {
      node: ctx.broker.nodeName,
      success: own ? m['actions.success'] : 0,
      failed: own ? m['actions.failed'] : 0,
      taken: own ? m['actions.total'] : 0,
    },
  ];
}

function printableActions(ctx: V4Context, rule: Rule, actions: V4ActionInstance[], top: boolean): unknown[] {
  return actions.map((action) => ({
    id: action.id,
    name: action.name,
    params: action.params,
    metrics: actionMetrics(ctx, rule, top && actions.length === 1),
    fallbacks: printableActions(ctx, rule, action.fallbacks, false),
  }));
}

/** `emqx_rule_metrics:get_rule_metrics/1`; rates are not sampled by the simulator. */
function ruleMetrics(ctx: V4Context, rule: Rule) {
  const m = ctx.broker.rules.metrics(rule.id);
  const matched = m?.matched ?? 0;
  const passed = m?.passed ?? 0;
  const failed = m?.failed ?? 0;
  return [
    {
      node: ctx.broker.nodeName,
      matched,
      passed,
      failed,
      exception: m?.['failed.exception'] ?? 0,
      no_result: Math.max(0, matched - passed - failed),
      speed: 0,
      speed_max: 0,
      speed_last5m: 0,
    },
  ];
}

/** `record_to_map(#rule{})` of `emqx_rule_engine_api` (4.4): `created_at` in milliseconds. */
export function formatRule(ctx: V4Context, rule: Rule): Record<string, unknown> {
  const extra = v4Extra(rule);
  return {
    id: rule.id,
    for: rule.from,
    rawsql: rule.sql,
    actions: printableActions(ctx, rule, extra.actions, true),
    on_action_failed: extra.onActionFailed,
    metrics: ruleMetrics(ctx, rule),
    enabled: rule.enable,
    created_at: rule.createdAt,
    description: rule.description,
  };
}
