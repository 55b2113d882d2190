import type { AuthnUser, AuthzRuleSet } from '../../../broker/api.ts';
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

export const AuthzRuleSetRef = builder.objectRef<AuthzRuleSet>('AuthzRuleSet').implement({
  description: 'The v5 built-in database authorization rules of one username, client ID, or of everyone',
  fields: (t) => ({
    kind: t.field({ type: AuthzRuleKindEnum, resolve: (r) => r.kind }),
    who: t.exposeString('who', { nullable: true, description: 'null for kind ALL' }),
    rules: t.field({ type: 'JSON', resolve: (r) => r.rules }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  authnUsers: t.connection(
    {
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
