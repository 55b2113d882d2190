import { z } from 'zod';
import { BadUserInputError, UpstreamError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { Rule } from '../../model.ts';
import type { BrokerWriteApi, RuleTestContext, RuleWrite } from '../../write-api.ts';
import { ruleNotFound, writePath } from '../../write-support.ts';
import { ruleSchema } from '../rules.ts';

/**
 * v4 rule engine writes (docs/emqx-api.md §3.10). Errors are HTTP-like codes inside HTTP 200: an unknown rule is
 * `{code: 400, "Rule … Not Found"}` on update, `{code: 404}` elsewhere; delete is idempotent. v4 rules have
 * no name, so a name given to a v4 rule is not sent. Rule ids keep their colon in the path (`rule:1a2b`):
 * EMQX 4.4 looks them up without percent-decoding.
 */

const ruleReply = z.object({ code: z.literal(0), data: ruleSchema });

const rulePath = (id: string, suffix = '') => writePath(`/rules/{id}${suffix}`, { id }, { keepColon: true });

/** v4 actions are `{name, params?, fallbacks?}` objects; anything else would crash EMQX's parser. */
function checkActions(actions: unknown[]): void {
  actions.forEach((action, i) => {
    const ok =
      action && typeof action === 'object' && typeof (action as { name?: unknown }).name === 'string';
    if (!ok) {
      throw new BadUserInputError(
        `input.actions.${i}: a v4 action is an object with a string "name"`,
        `input.actions.${i}`,
      );
    }
  });
}

const wireRule = (rule: RuleWrite) => ({
  rawsql: rule.sql,
  actions: rule.actions,
  ...(rule.description !== null ? { description: rule.description } : {}),
  ...(rule.enabled !== null ? { enabled: rule.enabled } : {}),
});

/** v4 answers an unknown rule on PUT with `{code: 400, "Rule x Not Found"}`. */
function notFoundOnPut(id: string) {
  return (error: unknown): never => {
    if (
      error instanceof UpstreamError &&
      error.upstreamCode === '400' &&
      /not found/i.test(error.upstreamMessage ?? '')
    ) {
      throw ruleNotFound(id);
    }
    throw error;
  };
}

export function v4RuleWrites(
  t: BrokerTransport,
): Pick<
  BrokerWriteApi,
  'createRule' | 'updateRule' | 'deleteRule' | 'setRuleEnabled' | 'resetRuleMetrics' | 'testRuleSql'
> {
  async function put(id: string, body: unknown): Promise<Rule> {
    const path = rulePath(id);
    const reply = await t.send({ domain: 'rules', method: 'PUT', path, body }).catch(notFoundOnPut(id));
    return parseBody(ruleReply, reply.body, path.route).data;
  }

  async function createRule(id: string | null, rule: RuleWrite) {
    checkActions(rule.actions);
    const path = writePath('/rules');
    const body = { ...(id !== null ? { id } : {}), ...wireRule(rule) };
    const reply = await t.send({ domain: 'rules', method: 'POST', path, body });
    return parseBody(ruleReply, reply.body, path.route).data;
  }

  async function updateRule(id: string, rule: RuleWrite) {
    checkActions(rule.actions);
    return put(id, wireRule(rule));
  }

  const setRuleEnabled = (id: string, enabled: boolean) => put(id, { enabled });

  async function deleteRule(id: string) {
    await t.send({ domain: 'rules', method: 'DELETE', path: rulePath(id) });
  }

  async function resetRuleMetrics(id: string) {
    const reply = await t.send({
      domain: 'rules',
      method: 'PUT',
      path: rulePath(id, '/reset_metrics'),
      accept: [404],
    });
    if (reply.status === 404) throw ruleNotFound(id);
  }

  async function testRuleSql(sql: string, sample: RuleTestContext) {
    const path = writePath('/rules');
    const ctx = {
      topic: sample.topic,
      payload: sample.payload,
      qos: sample.qos,
      ...(sample.clientId !== null ? { clientid: sample.clientId } : {}),
      ...(sample.username !== null ? { username: sample.username } : {}),
    };
    const body = { rawsql: sql, test: true, ctx };
    const reply = await t.send({ domain: 'rules', method: 'POST', path, body, accept: [404] });
    if (reply.status === 404) return { matched: false, output: null };
    return { matched: true, output: (reply.body as { data?: unknown }).data ?? null };
  }

  return { createRule, updateRule, deleteRule, setRuleEnabled, resetRuleMetrics, testRuleSql };
}
