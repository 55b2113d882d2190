import { NotFoundError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BrokerPath } from '../../call.ts';
import type { AuthzRuleWrite, AuthzTarget, BrokerWriteApi } from '../../write-api.ts';
import { writePath } from '../../write-support.ts';

/**
 * v5 built-in database authorization rules (docs/emqx-api.md §4.9). Setting a username's or client's rules is a
 * `PUT` (creates when absent, body key must equal the path value); the rules for everyone are replaced
 * with `POST …/all`. Every write answers 204; deleting an unknown username or client is 404.
 */

const PREFIX = '/authorization/sources/built_in_database/rules';

const wireRule = (rule: AuthzRuleWrite) => ({
  topic: rule.topic,
  permission: rule.permission,
  action: rule.action,
  ...(rule.qos !== null ? { qos: rule.qos } : {}),
  retain: rule.retain ?? 'all',
});

function targetPath(target: AuthzTarget): BrokerPath {
  if (target.kind === 'USERNAME') return writePath(`${PREFIX}/users/{username}`, { username: target.who });
  if (target.kind === 'CLIENT_ID') return writePath(`${PREFIX}/clients/{clientid}`, { clientid: target.who });
  return writePath(`${PREFIX}/all`);
}

export function v5AuthzWrites(
  t: BrokerTransport,
): Pick<BrokerWriteApi, 'setAuthzRules' | 'deleteAuthzRules'> {
  async function setAuthzRules(target: AuthzTarget, rules: AuthzRuleWrite[]) {
    const wire = rules.map(wireRule);
    const path = targetPath(target);
    if (target.kind === 'ALL') {
      await t.send({ domain: 'authz', method: 'POST', path, body: { rules: wire } });
      return;
    }
    const key = target.kind === 'USERNAME' ? 'username' : 'clientid';
    await t.send({ domain: 'authz', method: 'PUT', path, body: { [key]: target.who, rules: wire } });
  }

  async function deleteAuthzRules(target: AuthzTarget) {
    const reply = await t.send({
      domain: 'authz',
      method: 'DELETE',
      path: targetPath(target),
      accept: [404],
    });
    if (reply.status === 404)
      throw new NotFoundError(`No authorization rules for ${target.kind} ${target.who}`);
  }

  return { setAuthzRules, deleteAuthzRules };
}
