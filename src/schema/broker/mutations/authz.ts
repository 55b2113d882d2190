// biome-ignore-all lint/suspicious/noTemplateCurlyInString: EMQX placeholders such as ${clientid} are literal text here.
import { z } from 'zod';
import { ALL_QOS, type AuthzRuleSet } from '../../../broker/model.ts';
import type { AuthzRuleWrite, AuthzTarget } from '../../../broker/write-api.ts';
import { clientId, deploymentId, username } from '../../../validation/identifiers.ts';
import { qos, topicFilter } from '../../../validation/mqtt-topic.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import {
  AuthzActionEnum,
  AuthzPermissionEnum,
  AuthzRuleKindEnum,
  AuthzRuleSetRef,
} from '../queries/access-control.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * v5 built-in database authorization rules (operator) for one username, one client ID, or everyone (ALL).
 * Setting replaces that target's whole list. v4 answers NOT_SUPPORTED.
 */

const MAX_RULES = 100;

const AuthzRuleInput = builder.inputType('AuthzRuleInput', {
  fields: (t) => ({
    topic: t.string({
      required: true,
      description: 'a topic filter; may use ${username} / ${clientid}; "eq t/#" matches the filter literally',
    }),
    permission: t.field({ type: AuthzPermissionEnum, required: true }),
    action: t.field({ type: AuthzActionEnum, required: true }),
    qos: t.intList({ description: 'QoS levels the rule applies to; left out: all' }),
    retain: t.boolean({
      description: 'retained messages only (true), non-retained only (false); left out: both',
    }),
  }),
});

/** `eq <filter>` is EMQX's literal match; the rest is an ordinary filter. */
const authzTopic = z.string().transform((topic, ctx) => {
  const filter = topic.startsWith('eq ') ? topic.slice(3) : topic;
  const result = topicFilter.safeParse(filter);
  if (!result.success)
    ctx.addIssue({ code: 'custom', message: result.error.issues[0]?.message ?? 'bad topic' });
  return topic;
});

const rule = z
  .object({
    topic: authzTopic,
    permission: z.enum(['allow', 'deny']),
    action: z.enum(['publish', 'subscribe', 'all']),
    qos: z.array(qos).min(1, 'give at least one QoS, or leave qos out').nullish(),
    retain: z.boolean().nullish(),
  })
  .transform(
    (r): AuthzRuleWrite => ({
      topic: r.topic,
      permission: r.permission,
      action: r.action,
      qos: r.qos ? [...new Set(r.qos)].sort() : null,
      retain: r.retain ?? null,
    }),
  );

const targetFields = {
  deploymentId,
  kind: z.enum(['USERNAME', 'CLIENT_ID', 'ALL']),
  who: z.string().nullish(),
};
type TargetArgs = { kind: AuthzTarget['kind']; who?: string | null };

/** `who` is a username, a client ID, or absent for ALL. */
function refineTarget(t: TargetArgs, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['who'], message });
  if (t.kind === 'ALL') {
    if (t.who != null) issue('who must be left out for ALL');
    return;
  }
  const result = (t.kind === 'USERNAME' ? username : clientId).safeParse(t.who ?? '');
  if (!result.success) issue(result.error.issues[0]?.message ?? 'invalid who');
}

const toTarget = (t: TargetArgs): AuthzTarget =>
  t.kind === 'ALL' ? { kind: 'ALL', who: null } : { kind: t.kind, who: t.who ?? '' };

const SetAuthzRulesSuccess = builder.objectRef<{ ruleSet: AuthzRuleSet }>('SetAuthzRulesSuccess').implement({
  description: 'The rules now in force for the target',
  fields: (t) => ({ ruleSet: t.field({ type: AuthzRuleSetRef, resolve: (r) => r.ruleSet }) }),
});

const DeleteAuthzRulesSuccess = builder.objectRef<AuthzTarget>('DeleteAuthzRulesSuccess').implement({
  fields: (t) => ({
    kind: t.field({ type: AuthzRuleKindEnum, resolve: (r) => r.kind }),
    who: t.exposeString('who', { nullable: true }),
  }),
});

const targetLabel = (t: AuthzTarget) => (t.kind === 'ALL' ? 'ALL' : `${t.kind}:${t.who}`);

builder.mutationFields((t) => ({
  setAuthzRules: t.field({
    type: SetAuthzRulesSuccess,
    description: 'Replaces the authorization rules of a username, a client ID, or everyone (ALL).',
    ...operatorOnly('setAuthzRules'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SetAuthzRulesResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      kind: t.arg({ type: AuthzRuleKindEnum, required: true }),
      who: t.arg.string({ description: 'the username or client ID; left out for ALL' }),
      rules: t.arg({ type: [AuthzRuleInput], required: true }),
    },
    resolve: brokerMutation({
      operation: 'setAuthzRules',
      args: () =>
        z
          .object({ ...targetFields, rules: z.array(rule).max(MAX_RULES, `at most ${MAX_RULES} rules`) })
          .superRefine(refineTarget)
          .transform((a) => ({ deploymentId: a.deploymentId, rules: a.rules, target: toTarget(a) })),
      target: (args) => [targetLabel(args.target)],
      invalidates: () => ['authz'],
      run: async (api, args) => {
        await api.setAuthzRules(args.target, args.rules);
        // Echo what EMQX now holds, in the shape `authzRules` reads back.
        const rules = args.rules.map((r) => ({ ...r, qos: r.qos ?? [...ALL_QOS] }));
        return { ruleSet: { ...args.target, rules } };
      },
    }),
  }),
  deleteAuthzRules: t.field({
    type: DeleteAuthzRulesSuccess,
    description: 'Deletes the authorization rules of a username, a client ID, or everyone (ALL).',
    ...operatorOnly('deleteAuthzRules'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteAuthzRulesResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
      kind: t.arg({ type: AuthzRuleKindEnum, required: true }),
      who: t.arg.string(),
    },
    resolve: brokerMutation({
      operation: 'deleteAuthzRules',
      args: () =>
        z
          .object(targetFields)
          .superRefine(refineTarget)
          .transform((a) => ({ deploymentId: a.deploymentId, target: toTarget(a) })),
      target: (args) => [targetLabel(args.target)],
      invalidates: () => ['authz'],
      run: async (api, args) => {
        await api.deleteAuthzRules(args.target);
        return args.target;
      },
    }),
  }),
}));

const ClearAuthzRulesSuccess = builder
  .objectRef<{ deploymentId: string }>('ClearAuthzRulesSuccess')
  .implement({
    description: 'The built-in database holds no authorization rule any more (usernames, client IDs and ALL)',
    fields: (t) => ({ deploymentId: t.exposeString('deploymentId') }),
  });

builder.mutationField('clearAuthzRules', (t) =>
  t.field({
    type: ClearAuthzRulesSuccess,
    description:
      'v5 `DELETE /authorization/sources/built_in_database/rules`: every rule of every username and client ID ' +
      'and the ALL rules, so a broad write (admin with a justification). NOT_SUPPORTED on v4.',
    ...operatorOnly('clearAuthzRules'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ClearAuthzRulesResult' } },
    args: {
      ...writeArgs(t.arg, { justification: true }),
      deploymentId: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'clearAuthzRules',
      args: () => z.object({ deploymentId }),
      target: () => ['*'],
      invalidates: () => ['authz'],
      run: async (api, args) => {
        await api.clearAuthzRules();
        return { deploymentId: args.deploymentId };
      },
    }),
  }),
);
