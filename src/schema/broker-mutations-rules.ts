import { z } from 'zod';
import type { Deployment } from '../deployments/model.ts';
import type { Rule } from '../upstream/broker.ts';
import type { RuleWrite } from '../upstream/broker-writes.ts';
import { deploymentId, ruleId } from '../validation/identifiers.ts';
import { qos, topicName } from '../validation/mqtt-topic.ts';
import { brokerMutation, operatorOnly } from './broker-mutation.ts';
import { RuleRef } from './broker-rules.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';

/**
 * Rule-engine mutations (operator): create, update, delete, enable/disable, reset metrics, and a dry run of
 * SQL against a sample message. Every change drops the deployment's cached rule reads.
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

const RuleTestInput = builder.inputType('RuleTestInput', {
  description: 'A sample message, as the rule engine would see it published',
  fields: (t) => ({
    topic: t.string({ required: true }),
    payload: t.string({ defaultValue: '' }),
    clientId: t.string(),
    username: t.string(),
    qos: t.int({ defaultValue: 0 }),
  }),
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is refused
const noNul = (what: string) => z.string().refine((s) => !/\u0000/.test(s), `${what} may not contain NUL`);

const ruleInput = z
  .object({
    sql: noNul('sql').pipe(z.string().trim().min(1, 'sql may not be empty').max(20_000, 'sql is too long')),
    actions: z.array(z.unknown(), 'actions must be a JSON array').max(32, 'at most 32 actions'),
    name: z.string().max(256, 'name is too long').nullish(),
    description: z.string().max(1024, 'description is too long').nullish(),
    enabled: z.boolean().nullish(),
  })
  .refine((r) => JSON.stringify(r.actions).length <= 65_536, {
    path: ['actions'],
    message: 'actions are too large',
  })
  .transform(
    (r): RuleWrite => ({
      sql: r.sql,
      actions: r.actions,
      name: r.name ?? null,
      description: r.description ?? null,
      enabled: r.enabled ?? null,
    }),
  );

type RuleResult = { rule: Rule & { deployment: Deployment } };

const ruleSuccess = (name: string, description: string) =>
  builder.objectRef<RuleResult>(name).implement({
    description,
    fields: (t) => ({ rule: t.field({ type: RuleRef, resolve: (r) => r.rule }) }),
  });

const idSuccess = (name: string, description: string) =>
  builder
    .objectRef<{ id: string }>(name)
    .implement({ description, fields: (t) => ({ id: t.exposeString('id') }) });

const CreateRuleSuccess = ruleSuccess('CreateRuleSuccess', 'The rule as EMQX saved it');
const UpdateRuleSuccess = ruleSuccess('UpdateRuleSuccess', 'The rule as EMQX saved it');
const SetRuleEnabledSuccess = ruleSuccess('SetRuleEnabledSuccess', 'The rule as EMQX saved it');
const DeleteRuleSuccess = idSuccess('DeleteRuleSuccess', 'The rule is gone (v4 deletes are idempotent)');
const ResetRuleMetricsSuccess = idSuccess('ResetRuleMetricsSuccess', "The rule's counters are back to zero");

const TestRuleSqlSuccess = builder
  .objectRef<{ matched: boolean; output: unknown }>('TestRuleSqlSuccess')
  .implement({
    description: 'What the SQL made of the sample; nothing was saved or run',
    fields: (t) => ({
      matched: t.exposeBoolean('matched', { description: 'false: the SQL did not select this message' }),
      output: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.output }),
    }),
  });

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
    args: { deploymentId: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    resolve: brokerMutation({
      operation: 'deleteRule',
      args: () => z.object(ruleArgs),
      target: (args) => [args.id],
      invalidates: () => ['rules'],
      run: async (api, args) => {
        await api.deleteRule(args.id);
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
    args: { deploymentId: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
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
  testRuleSql: t.field({
    type: TestRuleSqlSuccess,
    description:
      'Runs SQL against a sample message without saving a rule (v4 `test: true`, v5 `/rule_test`).',
    ...operatorOnly('testRuleSql'),
    errors: { types: MUTATION_ERRORS, union: { name: 'TestRuleSqlResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      sql: t.arg.string({ required: true }),
      message: t.arg({ type: RuleTestInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'testRuleSql',
      args: (context) =>
        z.object({
          deploymentId,
          sql: noNul('sql').pipe(
            z.string().trim().min(1, 'sql may not be empty').max(20_000, 'sql is too long'),
          ),
          message: z.object({
            topic: topicName,
            payload: z
              .string()
              .nullish()
              .transform((p) => p ?? '')
              .pipe(z.string().max(context.services.config.limits.maxPayloadBytes, 'payload is too large')),
            clientId: z
              .string()
              .max(1024)
              .nullish()
              .transform((v) => v ?? null),
            username: z
              .string()
              .max(1024)
              .nullish()
              .transform((v) => v ?? null),
            qos: qos.nullish().transform((q) => q ?? 0),
          }),
        }),
      target: (args) => [args.message.topic],
      invalidates: () => [],
      run: (api, args) => api.testRuleSql(args.sql, args.message),
    }),
  }),
}));
