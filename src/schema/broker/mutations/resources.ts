import { z } from 'zod';
import { deploymentId } from '../../../validation/identifiers.ts';
import { resourceId, resourceInput } from '../../../validation/integration.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';
import { idResult, resourceResult } from './integration-results.ts';

/**
 * v4 rule-engine resources (seed 003): a web hook, MQTT bridge or database a rule's actions send to.
 * Creating one opens a data path out of the broker (broad); deleting one is refused while rules use it.
 */

const ResourceInput = builder.inputType('ResourceInput', {
  fields: (t) => ({
    type: t.string({ required: true, description: 'a resource type, e.g. web_hook (see resourceTypes)' }),
    config: t.field({ type: 'JSON', required: true, description: "the type's parameters (url, headers, …)" }),
    description: t.string(),
    id: t.string({ description: 'EMQX picks resource:<8 hex> when left out' }),
  }),
});

builder.mutationFields((t) => ({
  createResource: t.field({
    type: resourceResult('CreateResourceSuccess', 'resource'),
    description:
      'v4 `POST /resources`: a broad write (admin + justification); NOT_SUPPORTED on v5 (createConnector).',
    ...operatorOnly('createResource'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateResourceResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: ResourceInput, required: true }),
      ...writeArgs(t.arg, { justification: true }),
    },
    resolve: brokerMutation({
      operation: 'createResource',
      args: () => z.object({ deploymentId, input: resourceInput }),
      target: (a) => [a.input.id ?? `(new ${a.input.type})`],
      invalidates: () => ['resources'],
      run: async (api, a) => ({ value: await api.createResource(a.input) }),
    }),
  }),
  deleteResource: t.field({
    type: idResult('DeleteResourceSuccess', 'The resource is gone (v4 deletes are idempotent)'),
    description: 'v4 `DELETE /resources/{id}`; refused (UPSTREAM_ERROR) while rules use it.',
    ...operatorOnly('deleteResource'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteResourceResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteResource',
      args: () => z.object({ deploymentId, id: resourceId }),
      target: (a) => [a.id],
      invalidates: () => ['resources'],
      run: async (api, a) => {
        await api.deleteResource(a.id);
        return { id: a.id };
      },
    }),
  }),
}));
