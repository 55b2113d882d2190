import { z } from 'zod';
import type { BrokerReadApi, BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import {
  ALL_QOS,
  type AuthzRule,
  type AuthzRuleSet,
  type BrokerResource,
  type PageRequest,
} from '../model.ts';
import { redactSecrets } from '../secrets.ts';
import { notSupported, pageMetaSchema } from '../wire.ts';
import { listPage, queryOf } from './params.ts';

/**
 * v5-only data (docs/emqx-api.md §4.8–4.10): built-in database authentication users and authorization rules,
 * actions and connectors. v4's plugins and rule-engine resources do not exist in this form.
 */

const AUTHENTICATOR = 'password_based:built_in_database';

const userSchema = z
  .object({ user_id: z.string(), is_superuser: z.boolean().default(false) })
  .transform((u) => ({ userId: u.user_id, isSuperuser: u.is_superuser }));

/** A stored rule; `qos` may come as one level or a list, `retain` as a boolean or `"all"`. */
const authzRuleSchema = z
  .object({
    topic: z.string(),
    permission: z.enum(['allow', 'deny']),
    action: z.enum(['publish', 'subscribe', 'all']),
    qos: z.union([z.array(z.number().int()), z.number().int()]).optional(),
    retain: z.union([z.boolean(), z.literal('all')]).optional(),
  })
  .transform(
    (r): AuthzRule => ({
      topic: r.topic,
      permission: r.permission,
      action: r.action,
      qos: r.qos === undefined ? [...ALL_QOS] : [r.qos].flat(),
      retain: r.retain === undefined || r.retain === 'all' ? null : r.retain,
    }),
  );
const ruleItems = z.array(authzRuleSchema).default([]);
const authzSchemas = {
  USERNAME: z
    .object({ username: z.string(), rules: ruleItems })
    .transform((r) => ({ who: r.username, rules: r.rules })),
  CLIENT_ID: z
    .object({ clientid: z.string(), rules: ruleItems })
    .transform((r) => ({ who: r.clientid, rules: r.rules })),
};

export const resourceSchema = z
  .object({
    type: z.string().nullish(),
    name: z.string(),
    status: z.string().nullish(),
    enable: z.boolean().nullish(),
  })
  .loose()
  .transform(
    (r): BrokerResource => ({
      id: r.type ? `${r.type}:${r.name}` : r.name,
      name: r.name,
      type: r.type ?? null,
      status: r.status ?? null,
      enabled: r.enable ?? null,
      node: null,
      raw: redactSecrets(r),
    }),
  );

// Built once: zod compiles a schema on its first parse, which would otherwise happen on every call.
const usersSchema = z.object({ data: z.array(userSchema), meta: pageMetaSchema });
const allRulesSchema = z.object({ rules: ruleItems });
const authzListSchemas = {
  USERNAME: z.object({ data: z.array(authzSchemas.USERNAME), meta: pageMetaSchema }),
  CLIENT_ID: z.object({ data: z.array(authzSchemas.CLIENT_ID), meta: pageMetaSchema }),
};
const resourcesSchema = z.array(resourceSchema);

export function v5Extras(
  t: BrokerTransport,
): Pick<
  BrokerReadApi,
  'listAuthnUsers' | 'listAuthzRules' | 'actions' | 'connectors' | 'plugins' | 'resources'
> {
  async function listAuthnUsers(page: PageRequest, userIdContains?: string | null) {
    const path = brokerPath`/authentication/${AUTHENTICATOR}/users`;
    const query = queryOf({ like_user_id: userIdContains });
    return listPage(t, { domain: 'authn', path, query }, usersSchema, page);
  }

  async function listAuthzRules(kind: AuthzRuleSet['kind'], page: PageRequest) {
    if (kind === 'ALL') {
      const path = brokerPath`/authorization/sources/built_in_database/rules/all`;
      const reply = await t.send({ domain: 'authz', method: 'GET', path });
      const body = parseBody(allRulesSchema, reply.body, path.route);
      const items: AuthzRuleSet[] = [{ kind, who: null, rules: body.rules }];
      return { items, totalCount: 1, hasNext: false, freshness: reply.freshness };
    }
    const path =
      kind === 'USERNAME'
        ? brokerPath`/authorization/sources/built_in_database/rules/users`
        : brokerPath`/authorization/sources/built_in_database/rules/clients`;
    const rows = await listPage(t, { domain: 'authz', path }, authzListSchemas[kind], page);
    return { ...rows, items: rows.items.map((r): AuthzRuleSet => ({ kind, ...r })) };
  }

  async function list(domain: 'actions' | 'connectors') {
    const path = domain === 'actions' ? brokerPath`/actions` : brokerPath`/connectors`;
    const reply = await t.send({ domain, method: 'GET', path });
    return { value: parseBody(resourcesSchema, reply.body, path.route), freshness: reply.freshness };
  }

  return {
    listAuthnUsers,
    listAuthzRules,
    actions: () => list('actions'),
    connectors: () => list('connectors'),
    plugins: notSupported('The v4 plugins API', 'v5'),
    resources: notSupported('The v4 rule-engine resources API', 'v5'),
  };
}
