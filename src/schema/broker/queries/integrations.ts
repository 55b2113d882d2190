import type { BrokerResource } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef } from '../../deployments/deployment.ts';

/**
 * Integrations and runtime resources: v5 actions and connectors; v4 plugins and rule-engine resources (the
 * other version answers NOT_SUPPORTED on that field alone); listeners on both.
 */

export const BrokerResourceRef = builder.objectRef<BrokerResource>('BrokerResource').implement({
  description: 'A v5 action or connector, or a v4 plugin, listener or rule-engine resource',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name', { nullable: true }),
    type: t.exposeString('type', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
    enabled: t.exposeBoolean('enabled', { nullable: true }),
    node: t.exposeString('node', { nullable: true }),
    raw: t.field({
      type: 'JSON',
      description: 'the object as EMQX sent it, every secret (password, token, key, auth header) as ******',
      resolve: (r) => r.raw,
    }),
  }),
});

type ListName = 'actions' | 'connectors' | 'plugins' | 'listeners' | 'resources';

const DESCRIPTIONS: Record<ListName, string> = {
  actions: 'v5 actions (data integration); NOT_SUPPORTED on v4',
  connectors: 'v5 connectors; NOT_SUPPORTED on v4',
  plugins: 'v4 plugins, per node; NOT_SUPPORTED on v5',
  listeners: 'listeners: v4 `GET /listeners` (one entry per node), v5 `GET /listeners` (one entry per id)',
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
    actions: list('actions'),
    connectors: list('connectors'),
    plugins: list('plugins'),
    listeners: list('listeners'),
    resources: list('resources'),
  };
});
