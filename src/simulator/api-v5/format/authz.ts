import type { AuthzRule, Qos } from '../../broker/types.ts';
import { isRecord } from '../http/body.ts';
import { badRequest } from '../http/reply.ts';

/** `authorization.sources.built_in_database.max_rules` default. */
export const MAX_RULES = 100;

const ALL_QOS: Qos[] = [0, 1, 2];

function parseQos(value: unknown): Qos[] {
  if (value === undefined) return ALL_QOS;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((q) => q === 0 || q === 1 || q === 2))
    throw badRequest('Bad Request: qos expected array of qos(0..2)');
  return list as Qos[];
}

/** One rule item: topic, permission and action required; qos and retain default to "all". */
export function parseAuthzRule(raw: unknown): AuthzRule {
  if (!isRecord(raw)) throw badRequest('Bad Request: rule must be an object');
  const { topic, permission, action } = raw;
  if (typeof topic !== 'string' || topic === '')
    throw badRequest('Bad Request: Missing required parameter: topic');
  if (permission !== 'allow' && permission !== 'deny')
    throw badRequest('Bad Request: permission expected enum(allow,deny)');
  if (action !== 'publish' && action !== 'subscribe' && action !== 'all') {
    throw badRequest('Bad Request: action expected enum(publish,subscribe,all)');
  }
  const retain = raw.retain ?? 'all';
  if (retain !== true && retain !== false && retain !== 'all')
    throw badRequest('Bad Request: retain expected true, false or "all"');
  return { topic, permission, action, qos: parseQos(raw.qos), retain };
}

export function parseAuthzRules(raw: unknown): AuthzRule[] {
  if (!Array.isArray(raw)) throw badRequest('Bad Request: rules expected type is array');
  if (raw.length > MAX_RULES) throw badRequest(`The number of rules exceeds the maximum limit: ${MAX_RULES}`);
  return raw.map(parseAuthzRule);
}

export const formatAuthzRule = (rule: AuthzRule) => ({
  topic: rule.topic,
  permission: rule.permission,
  action: rule.action,
  qos: rule.qos,
  retain: rule.retain,
});
