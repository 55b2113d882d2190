import type { Rule } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import type { Deployment } from '../../../platform/model.ts';
import { ruleId } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef, FreshnessType } from '../../deployments/deployment.ts';
import { pageSize } from '../../pagination.ts';
import { brokerConnection } from '../connection.ts';

export interface RuleNode extends Rule {
  deployment: Deployment;
}

export const RuleRef = builder.objectRef<RuleNode>('Rule').implement({
  description: 'A rule-engine rule: v4 `rawsql`/`for`, v5 `sql`/`from`, in the same fields',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name', { nullable: true }),
    sql: t.exposeString('sql'),
    enabled: t.exposeBoolean('enabled'),
    description: t.exposeString('description', { nullable: true }),
    topics: t.exposeStringList('topics'),
    actions: t.field({ type: 'JSON', resolve: (r) => r.actions }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.createdAt }),
    metrics: t.field({
      type: 'JSON',
      nullable: true,
      description: 'as EMQX reports them (v5 asks for them only when this field is selected)',
      resolve: async (r, _, context) =>
        r.metrics !== undefined
          ? r.metrics
          : (await brokerOf(context, r.deployment).api.ruleMetrics(r.id)).value,
    }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  rules: t.connection(
    {
      forwardOnly: true,
      type: RuleRef,
      nullable: true,
      authScopes: { viewer: true },
      validate: pageSize,
      resolve: (deployment, args, context) =>
        brokerConnection(
          context,
          deployment,
          args,
          (api, page) => api.listRules(page),
          (rule) => ({ ...rule, deployment }),
        ),
    },
    {
      name: 'RuleConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: true, resolve: (connection) => connection.totalCount }),
        freshness: c.field({ type: FreshnessType, resolve: (connection) => connection.freshness }),
      }),
    },
    { name: 'RuleEdge' },
  ),
  rule: t.field({
    type: RuleRef,
    nullable: true,
    authScopes: { viewer: true },
    args: { id: t.arg.string({ required: true, validate: ruleId }) },
    resolve: async (deployment, { id }, context) => {
      const found = await brokerOf(context, deployment).api.getRule(id);
      return found.value ? { ...found.value, deployment } : null;
    },
  }),
}));
