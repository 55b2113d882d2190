import type { AuthnUser, AuthzRule, AuthzRuleSet } from '../../../broker/api.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';

/** v5 access control: built-in database authentication users and authorization rules (NOT_SUPPORTED on v4). */
export const AuthnUserRef = builder.objectRef<AuthnUser>('AuthnUser').implement({
  description: 'A user of the v5 built-in database password authenticator',
  fields: (t) => ({
    userId: t.exposeString('userId'),
    isSuperuser: t.exposeBoolean('isSuperuser'),
  }),
});

export const AuthzRuleKindEnum = builder.enumType('AuthzRuleKind', {
  values: ['USERNAME', 'CLIENT_ID', 'ALL'] as const,
});

export const AuthzPermissionEnum = builder.enumType('AuthzPermission', {
  values: { ALLOW: { value: 'allow' }, DENY: { value: 'deny' } } as const,
});
export const AuthzActionEnum = builder.enumType('AuthzAction', {
  values: {
    PUBLISH: { value: 'publish' },
    SUBSCRIBE: { value: 'subscribe' },
    ALL: { value: 'all' },
  } as const,
});

const AuthzRuleRef = builder.objectRef<AuthzRule>('AuthzRule').implement({
  description: 'One authorization rule as EMQX stores it',
  fields: (t) => ({
    topic: t.exposeString('topic', { description: 'a topic filter; "eq <filter>" matches it literally' }),
    permission: t.field({ type: AuthzPermissionEnum, resolve: (r) => r.permission }),
    action: t.field({ type: AuthzActionEnum, resolve: (r) => r.action }),
    qos: t.exposeIntList('qos', { description: 'the QoS levels it applies to' }),
    retain: t.exposeBoolean('retain', {
      nullable: true,
      description: 'true: retained messages only; false: non-retained only; null: both',
    }),
  }),
});

export const AuthzRuleSetRef = builder.objectRef<AuthzRuleSet>('AuthzRuleSet').implement({
  description: 'The v5 built-in database authorization rules of one username, client ID, or of everyone',
  fields: (t) => ({
    kind: t.field({ type: AuthzRuleKindEnum, resolve: (r) => r.kind }),
    who: t.exposeString('who', { nullable: true, description: 'null for kind ALL' }),
    rules: t.field({ type: [AuthzRuleRef], resolve: (r) => r.rules }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  authnUsers: t.connection(
    {
      forwardOnly: true,
      type: AuthnUserRef,
      nullable: true,
      authScopes: { viewer: true },
      description: 'v5 built-in database authentication users; NOT_SUPPORTED on v4',
      args: { userIdContains: t.arg.string() },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(context, deployment, args, (api, page) =>
          api.listAuthnUsers(page, args.userIdContains ?? null),
        ),
    },
    {
      name: 'AuthnUserConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'AuthnUserEdge' },
  ),
  authzRules: t.connection(
    {
      forwardOnly: true,
      type: AuthzRuleSetRef,
      nullable: true,
      authScopes: { viewer: true },
      description: 'v5 built-in database authorization rules; NOT_SUPPORTED on v4',
      args: { kind: t.arg({ type: AuthzRuleKindEnum, required: true }) },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(context, deployment, args, (api, page) => api.listAuthzRules(args.kind, page)),
    },
    {
      name: 'AuthzRuleSetConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'AuthzRuleSetEdge' },
  ),
}));
