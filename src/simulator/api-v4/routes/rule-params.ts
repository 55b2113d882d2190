// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX placeholders such as ${clientid} are literal text here.
import type { RuleAction } from '../../broker/rules/types.ts';
import { findAction } from '../catalog/actions.ts';
import type { V4ActionInstance } from '../format/rule.ts';
import { isJsonObject } from '../http/params.ts';
import { HandlerCrash } from '../http/reply.ts';

/** A rule-engine refusal, answered inside HTTP 200 as `{code: 400, message}`. */
export class RuleRejected extends Error {}

/** Fields of a create/update body after `parse_rule_params/2`. */
export interface RuleParams {
  id?: string;
  rawsql?: unknown;
  enabled?: boolean;
  onActionFailed?: 'continue' | 'stop';
  actions?: ActionRequest[];
  description?: unknown;
}

export interface ActionRequest {
  name: string;
  params: Record<string, unknown>;
  fallbacks: ActionRequest[];
}

/** `parse_action/1`: a missing or non-string name or non-object params crash the Erlang handler. */
function parseAction(raw: unknown): ActionRequest {
  if (!isJsonObject(raw) || typeof raw.name !== 'string') throw new HandlerCrash('badarg: parse_action');
  const params = raw.params ?? {};
  const fallbacks = raw.fallbacks ?? [];
  if (!isJsonObject(params) || !Array.isArray(fallbacks)) throw new HandlerCrash('badarg: parse_action');
  return { name: raw.name, params, fallbacks: fallbacks.map(parseAction) };
}

/** `parse_rule_params/2`: later keys win, an empty id is refused, bad `enabled`/`on_action_failed` crash. */
export function parseRuleParams(pairs: ReadonlyArray<[string, unknown]>, initial: RuleParams): RuleParams {
  const rule: RuleParams = { ...initial };
  for (const [key, value] of pairs) {
    if (key === 'id') {
      if (value === '') throw new RuleRejected('Bad Arguments: {empty_string_not_allowed,id}');
      rule.id = String(value);
    } else if (key === 'rawsql') rule.rawsql = value;
    else if (key === 'enabled') {
      if (typeof value !== 'boolean') throw new HandlerCrash('invalid_enabled');
      rule.enabled = value;
    } else if (key === 'on_action_failed') {
      if (value !== 'continue' && value !== 'stop') throw new HandlerCrash('invalid_on_failed');
      rule.onActionFailed = value;
    } else if (key === 'actions') {
      if (!Array.isArray(value)) throw new HandlerCrash('badarg: parse_actions');
      rule.actions = value.map(parseAction);
    } else if (key === 'description') rule.description = value;
  }
  return rule;
}

/** `emqx_rule_validator`: required parameters without a default must be present; defaults fill the rest. */
function withDefaults(request: ActionRequest): Record<string, unknown> {
  const spec = findAction(request.name);
  if (!spec) throw new RuleRejected(`Action ${request.name} Not Found`);
  const params = { ...request.params };
  for (const [field, fieldSpec] of Object.entries(spec.params)) {
    if (params[field] !== undefined) continue;
    if (fieldSpec.default !== undefined) params[field] = fieldSpec.default;
    else if (fieldSpec.required) throw new RuleRejected(`Bad Arguments: {required_field_missing,'${field}'}`);
  }
  return params;
}

let sequence = 0;

/** `action_instance_id/1`: the action name and a nanosecond timestamp. */
function instanceId(name: string, nowMs: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${name}_${BigInt(nowMs) * 1_000_000n + BigInt(sequence)}`;
}

export function instantiate(request: ActionRequest, nowMs: number): V4ActionInstance {
  return {
    id: instanceId(request.name, nowMs),
    name: request.name,
    params: withDefaults(request),
    fallbacks: request.fallbacks.map((fallback) => instantiate(fallback, nowMs)),
  };
}

/** `to_qos/1`: -1 means "the original QoS", a `${var}` placeholder is read from the rule output. */
function republishQos(value: unknown): 0 | 1 | 2 | string {
  const text = String(value);
  if (text === '-1') return '${qos}';
  if (text === '0' || text === '1' || text === '2') return Number(text) as 0 | 1 | 2;
  if (/^\$\{.+\}$/.test(text)) return text;
  throw new RuleRejected('Bad Arguments: {bad_qos}');
}

function republishRetain(value: unknown): boolean | string {
  const text = String(value);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  if (/^\$\{.+\}$/.test(text)) return text;
  throw new RuleRejected('Bad Arguments: {bad_retain}');
}

/** What the core runs for a v4 action: `inspect`/`do_nothing` record the output, others are references. */
export function toCoreAction(instance: V4ActionInstance): RuleAction {
  const p = instance.params;
  switch (instance.name) {
    case 'republish':
      return {
        kind: 'republish',
        args: {
          topic: String(p.target_topic),
          qos: republishQos(p.target_qos),
          retain: republishRetain(p.target_retain ?? 'false'),
          payload: String(p.payload_tmpl ?? ''),
        },
      };
    case 'inspect':
    case 'do_nothing':
      return { kind: 'console' };
    default:
      return { kind: 'reference', ref: instance.id };
  }
}
