import type { RepublishArgs, Rule, RuleAction, RuleMetrics } from '../../broker/rules/types.ts';
import { isRecord } from '../http/body.ts';
import { badRequest } from '../http/reply.ts';
import { rfc3339 } from './time.ts';

const REPUBLISH_DEFAULTS = {
  qos: 0,
  retain: false,
  payload: '',
  mqtt_properties: {},
  user_properties: '${user_properties}',
  direct_dispatch: false,
};

/** One entry of a v5 rule's `actions`: `"type:name"`, `{function: "republish", args}` or `{function: "console"}`. */
export function parseAction(raw: unknown): RuleAction {
  if (typeof raw === 'string') {
    if (!/^[^:]+:[^:]+$/.test(raw)) throw badRequest(`Bad Request: invalid action id ${raw}`);
    return { kind: 'reference', ref: raw };
  }
  if (!isRecord(raw) || typeof raw.function !== 'string') throw badRequest('Bad Request: invalid action');
  if (raw.function === 'console') return { kind: 'console' };
  if (raw.function !== 'republish') throw badRequest(`Bad Request: unknown action function ${raw.function}`);
  const args = isRecord(raw.args) ? raw.args : {};
  if (typeof args.topic !== 'string' || args.topic === '')
    throw badRequest('Bad Request: republish requires args.topic');
  const { qos, retain, payload } = { ...REPUBLISH_DEFAULTS, ...args };
  if (typeof payload !== 'string') throw badRequest('Bad Request: republish args.payload must be a string');
  return {
    kind: 'republish',
    args: { topic: args.topic, qos: qos as RepublishArgs['qos'], retain: retain as boolean, payload },
  };
}

/** Actions as EMQX echoes them: republish args with their defaults filled in. */
export function formatAction(action: RuleAction, raw: unknown): unknown {
  if (action.kind === 'reference') return action.ref;
  if (action.kind === 'console') return { function: 'console' };
  const given = isRecord(raw) && isRecord(raw.args) ? raw.args : {};
  return { function: 'republish', args: { ...REPUBLISH_DEFAULTS, ...given } };
}

export function formatRule(rule: Rule): Record<string, unknown> {
  const rawActions = Array.isArray(rule.extra.rawActions) ? rule.extra.rawActions : [];
  return {
    id: rule.id,
    name: rule.name,
    sql: rule.sql,
    actions: rule.actions.map((a, i) => formatAction(a, rawActions[i])),
    enable: rule.enable,
    description: rule.description,
    from: rule.from,
    created_at: rfc3339(rule.createdAt),
    last_modified_at: rfc3339(rule.lastModifiedAt),
  };
}

/** `emqx_rule_engine_api:format_metrics`; rates are 0 (the simulator keeps no rate windows). */
export function formatRuleMetrics(id: string, metrics: RuleMetrics, node: string) {
  const values = { ...metrics, 'matched.rate': 0, 'matched.rate.max': 0, 'matched.rate.last5m': 0 };
  const ordered = {
    matched: values.matched,
    'matched.rate': 0,
    'matched.rate.max': 0,
    'matched.rate.last5m': 0,
    passed: values.passed,
    failed: values.failed,
    'failed.exception': values['failed.exception'],
    'failed.unknown': values['failed.unknown'],
    'actions.total': values['actions.total'],
    'actions.success': values['actions.success'],
    'actions.failed': values['actions.failed'],
    'actions.failed.out_of_service': values['actions.failed.out_of_service'],
    'actions.failed.unknown': values['actions.failed.unknown'],
    'actions.discarded': values['actions.discarded'],
  };
  return { id, metrics: ordered, node_metrics: [{ node, ...ordered }] };
}
