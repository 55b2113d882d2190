import type { Rule } from '../../broker/rules/types.ts';
import type { V4Params } from '../http/params.ts';
import { HandlerCrash } from '../http/reply.ts';
import {
  BadValueType,
  binaryContains,
  type CompiledQs,
  compileQs,
  type QsCondition,
  type QsType,
} from '../query/qs.ts';
import { emqxTopicMatch } from '../query/topic.ts';

/** `?RULE_QS_SCHEMA` (4.4). */
const RULE_QS_SCHEMA: Readonly<Record<string, QsType>> = {
  enabled: 'atom',
  for: 'binary',
  _like_id: 'binary',
  _like_for: 'binary',
  _match_for: 'binary',
  _like_description: 'binary',
};

/** The rules API has no `fence`: a conversion error is an HTTP 500. */
export function compileRuleQs(params: V4Params): CompiledQs {
  try {
    return compileQs(params, RULE_QS_SCHEMA);
  } catch (error) {
    if (error instanceof BadValueType) throw new HandlerCrash(error.message);
    throw error;
  }
}

/**
 * `qs2ms/1` + `run_fuzzy_match/2`. EMQX puts the exact `for` value into the record's `for` field, which
 * holds a list of topics, so an exact `for` filter never matches anything in 4.4; that is kept.
 */
function holds(rule: Rule, c: QsCondition): boolean {
  if (c.key === 'enabled') return String(rule.enable) === c.value;
  if (c.key === 'for' && c.op === '=:=') return false;
  if (c.key === 'for' && c.op === 'match') return rule.from.some((f) => emqxTopicMatch(f, String(c.value)));
  if (c.key === 'for') return rule.from.some((f) => binaryContains(f, c.value));
  if (c.key === 'id') return binaryContains(rule.id, c.value);
  if (c.key === 'description') return binaryContains(rule.description, c.value);
  return false;
}

export const ruleMatches = (rule: Rule, qs: CompiledQs): boolean =>
  qs.exact.every((c) => holds(rule, c)) && qs.fuzzy.every((c) => holds(rule, c));
