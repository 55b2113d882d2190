import type { RuleEvent } from '../../../broker/api.ts';
import { brokerOf } from '../../../broker/request.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef } from '../../deployments/deployment.ts';

/** The events a rule can select from, with their columns: what to write after `FROM "$events/…"`. */

const RuleEventRef = builder.objectRef<RuleEvent>('RuleEvent').implement({
  description: 'An event the rule engine offers to SQL (`SELECT … FROM "$events/client_connected"`)',
  fields: (t) => ({
    event: t.exposeString('event', { description: 'e.g. $events/client_connected' }),
    title: t.exposeString('title', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    columns: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.columns }),
    testColumns: t.field({
      type: 'JSON',
      nullable: true,
      description: 'example values, as a rule test fills them in',
      resolve: (e) => e.testColumns,
    }),
    sqlExample: t.exposeString('sqlExample', { nullable: true }),
  }),
});

builder.objectFields(DeploymentRef, (t) => ({
  ruleEvents: t.field({
    type: [RuleEventRef],
    nullable: true,
    authScopes: { viewer: true },
    description: 'v4/v5 `GET /rule_events`',
    resolve: async (deployment, _, context) => (await brokerOf(context, deployment).api.ruleEvents()).value,
  }),
}));
