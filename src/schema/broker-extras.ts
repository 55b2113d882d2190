import { brokerOf } from '../brokers/request.ts';
import type { AuthnUser, AuthzRuleSet, BrokerResource } from '../upstream/broker.ts';
import { brokerConnection } from './broker-common.ts';
import { builder } from './builder.ts';
import { DeploymentRef, FreshnessType } from './deployment.ts';
import { pageSize } from './pagination.ts';

/**
 * Broker data that only one version has: v5 authentication users, authorization rules, actions and
 * connectors; v4 plugins, listeners and rule-engine resources. The other version answers NOT_SUPPORTED
 * on that field alone.
 */

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

const BrokerResourceRef = builder.objectRef<BrokerResource>('BrokerResource').implement({
  description: 'A v5 action or connector, or a v4 plugin, listener or rule-engine resource',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name', { nullable: true }),
    type: t.exposeString('type', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
    enabled: t.exposeBoolean('enabled', { nullable: true }),
    node: t.exposeString('node', { nullable: true }),
    raw: t.field({ type: 'JSON', description: 'the object as EMQX sent it', resolve: (r) => r.raw }),
  }),
});

type ListName = 'actions' | 'connectors' | 'plugins' | 'listeners' | 'resources';

const DESCRIPTIONS: Record<ListName, string> = {
  actions: 'v5 actions (data integration); NOT_SUPPORTED on v4',
  connectors: 'v5 connectors; NOT_SUPPORTED on v4',
  plugins: 'v4 plugins, per node; NOT_SUPPORTED on v5',
  listeners: 'v4 listeners, per node; NOT_SUPPORTED on v5',
  resources: 'v4 rule-engine resources; NOT_SUPPORTED on v5',
};

builder.objectFields(DeploymentRef, (t) => {
  const list = (name: ListName) =>
    t.field({
      type: [BrokerResourceRef],
      nullable: true,
      authScopes: { viewer: true },
      description: DESCRIPTIONS[name],
      resolve: async (deployment, _, context) => (await brokerOf(context, deployment).api[name]()).value,
    });
  return {
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
    actions: list('actions'),
    connectors: list('connectors'),
    plugins: list('plugins'),
    listeners: list('listeners'),
    resources: list('resources'),
  };
});
