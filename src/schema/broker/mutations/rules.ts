import { z } from 'zod';
import type { Rule } from '../../../broker/api.ts';
import { untilWrite } from '../../../broker/dry-run.ts';
import { ruleNotFound } from '../../../broker/write-support.ts';
import type { Deployment } from '../../../platform/model.ts';
import { deploymentId, ruleId } from '../../../validation/identifiers.ts';
import { ruleInput } from '../../../validation/rule.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { dryRunField, type MaybeDryRun, writeArgs } from '../../write-args.ts';
import { RuleRef } from '../queries/rules.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * Rule-engine mutations (operator): create, update, delete, enable/disable and reset metrics (the SQL dry
 * run is in rule-test.ts). Every change drops the deployment's cached rule reads.
 */

const RuleInput = builder.inputType('RuleInput', {
  fields: (t) => ({
    sql: t.string({ required: true, description: 'v4 rawsql / v5 sql' }),
    actions: t.field({
      type: 'JSON',
      required: true,
      description: 'as the broker version expects: v4 [{name, params}], v5 ["type:name" | {function, args}]',
    }),
    name: t.string({ description: 'v5 only; EMQX v4 rules have no name, so it is not sent to v4' }),
    description: t.string(),
    enabled: t.boolean({ description: 'on create: default true; on update: unchanged when left out' }),
  }),
});

type RuleResult = { rule: Rule & { deployment: Deployment } };

const ruleSuccess = (name: string, description: string) =>
  builder.objectRef<RuleResult>(name).implement({
    description,
    fields: (t) => ({ rule: t.field({ type: RuleRef, resolve: (r) => r.rule }) }),
  });

const idSuccess = (name: string, description: string, canDryRun = false) =>
  builder.objectRef<{ id: string } & MaybeDryRun>(name).implement({
    description,
    fields: (t) => ({ id: t.exposeString('id'), ...(canDryRun ? { dryRun: dryRunField(t) } : {}) }),
  });

const CreateRuleSuccess = ruleSuccess('CreateRuleSuccess', 'The rule as EMQX saved it');
const UpdateRuleSuccess = ruleSuccess('UpdateRuleSuccess', 'The rule as EMQX saved it');
const SetRuleEnabledSuccess = ruleSuccess('SetRuleEnabledSuccess', 'The rule as EMQX saved it');
const DeleteRuleSuccess = idSuccess(
  'DeleteRuleSuccess',
  'The rule is gone (v4 deletes are idempotent); a dry run: the rule exists and would go',
  true,
);
const ResetRuleMetricsSuccess = idSuccess('ResetRuleMetricsSuccess', "The rule's counters are back to zero");

const withDeployment = (rule: Rule, deployment: Deployment): RuleResult => ({
  rule: { ...rule, deployment },
});
const ruleArgs = { deploymentId, id: ruleId };

builder.mutationFields((t) => ({
  createRule: t.field({
    type: CreateRuleSuccess,
    description:
      'Creates a rule. Give `id` to make a retry after OUTCOME_UNKNOWN safe (a second try is refused).',
    ...operatorOnly('createRule'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateRuleResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: RuleInput, required: true }),
      id: t.arg.string({ description: 'the new rule id; EMQX picks one when left out' }),
    },
    resolve: brokerMutation({
      operation: 'createRule',
      args: () => z.object({ deploymentId, input: ruleInput, id: ruleId.nullish() }),
      target: (args) => [args.id ?? '(new)'],
      invalidates: () => ['rules'],
      run: async (api, args, _, deployment) =>
        withDeployment(await api.createRule(args.id ?? null, args.input), deployment),
    }),
  }),
  updateRule: t.field({
    type: UpdateRuleSuccess,
    description: 'Replaces a rule’s SQL and actions; an unknown id is NOT_FOUND (never created).',
    ...operatorOnly('updateRule'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UpdateRuleResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
      input: t.arg({ type: RuleInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'updateRule',
      args: () => z.object({ ...ruleArgs, input: ruleInput }),
      target: (args) => [args.id],
      invalidates: () => ['rules'],
      invalidateFirst: true,
      run: async (api, args, _, deployment) =>
        withDeployment(await api.updateRule(args.id, args.input), deployment),
    }),
  }),
  deleteRule: t.field({
    type: DeleteRuleSuccess,
    ...operatorOnly('deleteRule'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteRuleResult' } },
    args: {
      ...writeArgs(t.arg, { dryRun: true }),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteRule',
      args: () => z.object(ruleArgs),
      target: (args) => [args.id],
      invalidates: () => ['rules'],
      run: async (api, args) => {
        await api.deleteRule(args.id);
        return { id: args.id };
      },
      preview: async (api, args) => {
        if ((await api.getRule(args.id)).value === null) throw ruleNotFound(args.id);
        await untilWrite(api.deleteRule(args.id));
        return { id: args.id };
      },
    }),
  }),
  setRuleEnabled: t.field({
    type: SetRuleEnabledSuccess,
    description: 'Enables or disables a rule without changing anything else.',
    ...operatorOnly('setRuleEnabled'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SetRuleEnabledResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
      enabled: t.arg.boolean({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'setRuleEnabled',
      args: () => z.object({ ...ruleArgs, enabled: z.boolean() }),
      target: (args) => [args.id],
      invalidates: () => ['rules'],
      invalidateFirst: true,
      run: async (api, args, _, deployment) =>
        withDeployment(await api.setRuleEnabled(args.id, args.enabled), deployment),
    }),
  }),
  resetRuleMetrics: t.field({
    type: ResetRuleMetricsSuccess,
    ...operatorOnly('resetRuleMetrics'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ResetRuleMetricsResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'resetRuleMetrics',
      args: () => z.object(ruleArgs),
      target: (args) => [args.id],
      invalidates: () => ['rules'],
      run: async (api, args) => {
        await api.resetRuleMetrics(args.id);
        return { id: args.id };
      },
    }),
  }),
}));
