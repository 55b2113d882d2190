import { z } from 'zod';
import type { BrokerApi } from '../../../broker/api.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { actionInput, actionUpdate, integrationIdArg, splitId } from '../../../validation/integration.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';
import { idResult, probeResult, resourceResult } from './integration-results.ts';

/**
 * v5 actions (emqx-api.md §4.10): what a rule sends through a connector. Creating, changing or enabling one
 * opens a data path out of the broker, so those are broad writes; delete, disable, start, reset and probe
 * are not. A disabled action makes the rules that use it fail that action (their output stops).
 */

const ActionInput = builder.inputType('ActionInput', {
  fields: (t) => ({
    type: t.string({ required: true, description: 'e.g. http, mysql, kafka_producer' }),
    name: t.string({ required: true }),
    connector: t.string({ required: true, description: 'the name of a connector of the same type' }),
    parameters: t.field({
      type: 'JSON',
      required: true,
      description: "the type's parameters (path, body, sql, topic, …)",
    }),
    config: t.field({ type: 'JSON', description: 'other fields of the type (resource_opts, tags, …)' }),
    description: t.string(),
    enabled: t.boolean({ description: 'default true' }),
  }),
});

const ActionUpdateInput = builder.inputType('ActionUpdateInput', {
  description: 'Replaces the configuration; description and enabled are unchanged when left out',
  fields: (t) => ({
    connector: t.string({ required: true }),
    parameters: t.field({ type: 'JSON', required: true }),
    config: t.field({ type: 'JSON' }),
    description: t.string(),
    enabled: t.boolean(),
  }),
});

const DOMAINS = () => ['actions' as const, 'rules' as const];
const idArgs = { deploymentId, id: integrationIdArg };
const idOnly = { deploymentId: { required: true }, id: { required: true } } as const;

builder.mutationFields((t) => {
  const simple = (
    operation: 'deleteAction' | 'startAction' | 'resetActionMetrics',
    description: string,
    success: string,
    run: (api: BrokerApi, id: string, withRules: boolean) => Promise<void>,
  ) =>
    t.field({
      type: idResult(`${operation[0]?.toUpperCase()}${operation.slice(1)}Success`, success),
      description,
      ...operatorOnly(operation),
      errors: {
        types: MUTATION_ERRORS,
        union: { name: `${operation[0]?.toUpperCase()}${operation.slice(1)}Result` },
      },
      args: {
        ...writeArgs(t.arg),
        deploymentId: t.arg.string(idOnly.deploymentId),
        id: t.arg.string(idOnly.id),
        ...(operation === 'deleteAction'
          ? {
              withRules: t.arg.boolean({
                description: 'also remove it from the rules that use it (default false)',
              }),
            }
          : {}),
      },
      resolve: brokerMutation({
        operation,
        args: () => z.object({ ...idArgs, withRules: z.boolean().nullish() }),
        target: (a) => [a.id],
        invalidates: DOMAINS,
        run: async (api, a) => {
          await run(api, a.id, a.withRules === true);
          return { id: a.id };
        },
      }),
    });
  return {
    createAction: t.field({
      type: resourceResult('CreateActionSuccess', 'action'),
      description:
        'v5 `POST /actions`: a broad write (admin + justification), it sends data out of the broker.',
      ...operatorOnly('createAction'),
      errors: { types: MUTATION_ERRORS, union: { name: 'CreateActionResult' } },
      args: {
        deploymentId: t.arg.string({ required: true }),
        input: t.arg({ type: ActionInput, required: true }),
        ...writeArgs(t.arg, { justification: true }),
      },
      resolve: brokerMutation({
        operation: 'createAction',
        args: () => z.object({ deploymentId, input: actionInput }),
        target: (a) => [`${a.input.type}:${a.input.name}`],
        invalidates: DOMAINS,
        run: async (api, a) => ({ value: await api.createAction(a.input) }),
      }),
    }),
    updateAction: t.field({
      type: resourceResult('UpdateActionSuccess', 'action'),
      description: 'v5 `PUT /actions/{id}` after reading it (broad); an unknown id is NOT_FOUND.',
      ...operatorOnly('updateAction'),
      errors: { types: MUTATION_ERRORS, union: { name: 'UpdateActionResult' } },
      args: {
        deploymentId: t.arg.string({ required: true }),
        id: t.arg.string({ required: true, description: '"<type>:<name>"' }),
        input: t.arg({ type: ActionUpdateInput, required: true }),
        ...writeArgs(t.arg, { justification: true }),
      },
      resolve: brokerMutation({
        operation: 'updateAction',
        args: () => z.object({ ...idArgs, input: actionUpdate }),
        target: (a) => [a.id],
        invalidates: DOMAINS,
        invalidateFirst: true,
        run: async (api, a) => ({ value: await api.updateAction({ ...splitId(a.id), ...a.input }) }),
      }),
    }),
    setActionEnabled: t.field({
      type: idResult('SetActionEnabledSuccess', 'The action is enabled or disabled', true),
      description:
        'v5 `PUT /actions/{id}/enable/{enabled}`; enabling is a broad write, disabling stops its output.',
      ...operatorOnly('setActionEnabled'),
      errors: { types: MUTATION_ERRORS, union: { name: 'SetActionEnabledResult' } },
      args: {
        deploymentId: t.arg.string({ required: true }),
        id: t.arg.string({ required: true }),
        enabled: t.arg.boolean({ required: true }),
        ...writeArgs(t.arg, { justification: true }),
      },
      resolve: brokerMutation({
        operation: 'setActionEnabled',
        args: () => z.object({ ...idArgs, enabled: z.boolean() }),
        target: (a) => [a.id],
        invalidates: DOMAINS,
        run: async (api, a) => {
          await api.setActionEnabled(a.id, a.enabled);
          return { id: a.id, enabled: a.enabled };
        },
      }),
    }),
    deleteAction: simple(
      'deleteAction',
      'v5 `DELETE /actions/{id}`; refused (UPSTREAM_ERROR naming the rules) while rules use it, unless withRules.',
      'The action is gone',
      (api, id, withRules) => api.deleteAction(id, withRules),
    ),
    startAction: simple(
      'startAction',
      'v5 `POST /actions/{id}/start`; a disabled action is refused (UPSTREAM_ERROR).',
      'EMQX (re)started the action on every node',
      (api, id) => api.startAction(id),
    ),
    resetActionMetrics: simple(
      'resetActionMetrics',
      'v5 `PUT /actions/{id}/metrics/reset`.',
      "The action's counters are back to zero",
      (api, id) => api.resetActionMetrics(id),
    ),
    testAction: t.field({
      type: probeResult('TestActionSuccess'),
      description:
        'v5 `POST /actions_probe`: whether EMQX could create it and reach its target; nothing is saved.',
      ...operatorOnly('testAction'),
      errors: { types: MUTATION_ERRORS, union: { name: 'TestActionResult' } },
      args: {
        ...writeArgs(t.arg),
        deploymentId: t.arg.string({ required: true }),
        input: t.arg({ type: ActionInput, required: true }),
      },
      resolve: brokerMutation({
        operation: 'testAction',
        args: () => z.object({ deploymentId, input: actionInput }),
        target: (a) => [`${a.input.type}:${a.input.name}`],
        invalidates: () => [],
        run: (api, a) => api.testAction(a.input),
      }),
    }),
  };
});
