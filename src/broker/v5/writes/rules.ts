import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { Rule } from '../../model.ts';
import type { BrokerWriteApi, RuleTestContext, RuleWrite } from '../../write-api.ts';
import { ruleNotFound, writePath } from '../../write-support.ts';
import { ruleSchema } from '../rules.ts';

/**
 * v5 rule writes (docs/emqx-api.md §4.6). `PUT /rules/{id}` replaces the whole rule (`sql` required, a missing
 * `enable` means true) and in 5.x creates an unknown id, so updates read the rule first: an unknown id is
 * NOT_FOUND and whatever the caller left out keeps its current value.
 */

const wireRule = (rule: RuleWrite, current?: Rule) => ({
  sql: rule.sql,
  actions: rule.actions,
  ...(rule.name !== null ? { name: rule.name } : current?.name ? { name: current.name } : {}),
  ...(rule.description !== null
    ? { description: rule.description }
    : current?.description
      ? { description: current.description }
      : {}),
  ...(rule.enabled !== null ? { enable: rule.enabled } : current ? { enable: current.enabled } : {}),
});

export function v5RuleWrites(
  t: BrokerTransport,
): Pick<
  BrokerWriteApi,
  'createRule' | 'updateRule' | 'deleteRule' | 'setRuleEnabled' | 'resetRuleMetrics' | 'testRuleSql'
> {
  async function current(id: string): Promise<Rule> {
    const path = writePath('/rules/{id}', { id });
    const reply = await t.send({ domain: 'rules', method: 'GET', path, accept: [404] });
    if (reply.status === 404) throw ruleNotFound(id);
    return parseBody(ruleSchema, reply.body, path.route);
  }

  async function put(id: string, body: unknown): Promise<Rule> {
    const path = writePath('/rules/{id}', { id });
    const reply = await t.send({ domain: 'rules', method: 'PUT', path, body });
    return parseBody(ruleSchema, reply.body, path.route);
  }

  async function createRule(id: string | null, rule: RuleWrite) {
    const path = writePath('/rules');
    const body = { ...(id !== null ? { id } : {}), ...wireRule(rule) };
    const reply = await t.send({ domain: 'rules', method: 'POST', path, body });
    return parseBody(ruleSchema, reply.body, path.route);
  }

  async function updateRule(id: string, rule: RuleWrite) {
    return put(id, wireRule(rule, await current(id)));
  }

  async function setRuleEnabled(id: string, enabled: boolean) {
    const rule = await current(id);
    const { sql, actions, name, description } = rule;
    return put(id, wireRule({ sql, actions: actions as unknown[], name, description, enabled }));
  }

  async function deleteRule(id: string) {
    const path = writePath('/rules/{id}', { id });
    const reply = await t.send({ domain: 'rules', method: 'DELETE', path, accept: [404] });
    if (reply.status === 404) throw ruleNotFound(id);
  }

  async function resetRuleMetrics(id: string) {
    const path = writePath('/rules/{id}/metrics/reset', { id });
    const reply = await t.send({ domain: 'rules', method: 'PUT', path, accept: [404] });
    if (reply.status === 404) throw ruleNotFound(id);
  }

  async function testRuleSql(sql: string, sample: RuleTestContext) {
    const path = writePath('/rule_test');
    const context = {
      event_type: 'message_publish',
      topic: sample.topic,
      payload: sample.payload,
      qos: sample.qos,
      ...(sample.clientId !== null ? { clientid: sample.clientId } : {}),
      ...(sample.username !== null ? { username: sample.username } : {}),
    };
    const reply = await t.send({
      domain: 'rules',
      method: 'POST',
      path,
      body: { sql, context },
      accept: [412],
    });
    return reply.status === 412
      ? { matched: false, output: null }
      : { matched: true, output: reply.body ?? null };
  }

  return { createRule, updateRule, deleteRule, setRuleEnabled, resetRuleMetrics, testRuleSql };
}
