import { z } from 'zod';
import type { RuleTestOutcome } from '../../../broker/write-api.ts';
import { deploymentId, ruleId } from '../../../validation/identifiers.ts';
import { ruleSql, ruleTestMessage } from '../../../validation/rule.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * Dry runs of rules against a sample message (operator): SQL given here, or a stored rule's. Nothing is saved
 * and no action sends anything.
 */

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

const TestRuleSqlSuccess = builder.objectRef<RuleTestOutcome>('TestRuleSqlSuccess').implement({
  description: 'What the SQL made of the sample; nothing was saved or run',
  fields: (t) => ({
    matched: t.exposeBoolean('matched', { description: 'false: the SQL did not select this message' }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.output }),
  }),
});

builder.mutationField('testRuleSql', (t) =>
  t.field({
    type: TestRuleSqlSuccess,
    description:
      'Runs SQL against a sample message without saving a rule (v4 `test: true`, v5 `/rule_test`).',
    ...operatorOnly('testRuleSql'),
    errors: { types: MUTATION_ERRORS, union: { name: 'TestRuleSqlResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      sql: t.arg.string({ required: true }),
      message: t.arg({ type: RuleTestInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'testRuleSql',
      args: (context) =>
        z.object({
          deploymentId,
          sql: ruleSql,
          message: ruleTestMessage(context.services.config.limits.maxPayloadBytes),
        }),
      target: (args) => [args.message.topic],
      invalidates: () => [],
      run: (api, args) => api.testRuleSql(args.sql, args.message),
    }),
  }),
);

const TestRuleSuccess = builder.objectRef<RuleTestOutcome>('TestRuleSuccess').implement({
  description: "What the stored rule's SQL made of the sample; its actions only rendered their templates",
  fields: (t) => ({
    matched: t.exposeBoolean('matched', { description: 'false: the SQL did not select this message' }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.output }),
  }),
});

builder.mutationField('testRule', (t) =>
  t.field({
    type: TestRuleSuccess,
    description:
      'Runs a stored rule against a sample message (v5 `POST /rules/{id}/test` with ' +
      '`stop_action_after_template_rendering`); an unknown rule is NOT_FOUND. NOT_SUPPORTED on v4 (use testRuleSql).',
    ...operatorOnly('testRule'),
    errors: { types: MUTATION_ERRORS, union: { name: 'TestRuleResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
      message: t.arg({ type: RuleTestInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'testRule',
      args: (context) =>
        z.object({
          deploymentId,
          id: ruleId,
          message: ruleTestMessage(context.services.config.limits.maxPayloadBytes),
        }),
      target: (args) => [args.id],
      invalidates: () => [],
      run: (api, args) => api.testRule(args.id, args.message),
    }),
  }),
);
