import { NotSupportedError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BrokerMaintenanceApi, RuleTestContext } from '../../write-api.ts';
import { clientNotFound, ruleNotFound, writePath } from '../../write-support.ts';

/**
 * v5 cache, retained store, rule test and authorization wipe (emqx-api.md §4.1, §4.5, §4.6, §4.9, §4.12): the
 * deletes answer 204; an unknown client or rule is 404. v5 has no plugins API of v4's kind.
 */

const v4Only = (what: string) => async (): Promise<never> => {
  throw new NotSupportedError(what, 'v5');
};

/** The `message_publish` context a rule test runs against. */
export const publishContext = (sample: RuleTestContext) => ({
  event_type: 'message_publish',
  topic: sample.topic,
  payload: sample.payload,
  qos: sample.qos,
  ...(sample.clientId !== null ? { clientid: sample.clientId } : {}),
  ...(sample.username !== null ? { username: sample.username } : {}),
});

export function v5MaintenanceWrites(t: BrokerTransport): BrokerMaintenanceApi {
  async function clearAuthorizationCache(clientId: string | null) {
    if (clientId === null) {
      await t.send({ domain: 'authzCache', method: 'DELETE', path: writePath('/authorization/cache') });
      return;
    }
    const path = writePath('/clients/{clientid}/authorization/cache', { clientid: clientId });
    const reply = await t.send({ domain: 'authzCache', method: 'DELETE', path, accept: [404] });
    if (reply.status === 404) throw clientNotFound(clientId);
  }

  async function clearRetainedMessages() {
    await t.send({ domain: 'retained', method: 'DELETE', path: writePath('/mqtt/retainer/messages') });
  }

  /** Actions stop after rendering their templates: a test sends nothing anywhere. */
  async function testRule(id: string, sample: RuleTestContext) {
    const path = writePath('/rules/{id}/test', { id });
    const body = { context: publishContext(sample), stop_action_after_template_rendering: true };
    const reply = await t.send({ domain: 'rules', method: 'POST', path, body, accept: [404, 412] });
    if (reply.status === 404) throw ruleNotFound(id);
    return reply.status === 412
      ? { matched: false, output: null }
      : { matched: true, output: reply.body ?? null };
  }

  async function clearAuthzRules() {
    const path = writePath('/authorization/sources/built_in_database/rules');
    await t.send({ domain: 'authz', method: 'DELETE', path });
  }

  return {
    clearAuthorizationCache,
    clearRetainedMessages,
    setPluginEnabled: v4Only('The v4 plugins API'),
    reloadPlugin: v4Only('The v4 plugins API'),
    testRule,
    clearAuthzRules,
  };
}
