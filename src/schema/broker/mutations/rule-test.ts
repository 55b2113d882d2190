import { z } from 'zod';
import type { RuleTestOutcome } from '../../../broker/write-api.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { ruleSql, ruleTestMessage } from '../../../validation/rule.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/** A dry run of rule SQL against a sample message (operator): nothing is saved, no action runs. */

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
