import { z } from 'zod';
import { deploymentId } from '../../../validation/identifiers.ts';
import {
  connectorInput,
  connectorUpdate,
  integrationIdArg,
  splitId,
} from '../../../validation/integration.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';
import { idResult, probeResult, resourceResult } from './integration-results.ts';

/**
 * v5 connectors (emqx-api.md §4.10): create, replace, delete, enable/disable, start and probe. A connector
 * that sends data out is a broad write when created, changed or enabled. Secrets in `config` are
 * write-only: the answers show them as ******.
 */

export const ConnectorInput = builder.inputType('ConnectorInput', {
  fields: (t) => ({
    type: t.string({ required: true, description: 'e.g. http, mysql, kafka_producer' }),
    name: t.string({ required: true }),
    config: t.field({
      type: 'JSON',
      required: true,
      description: "the type's own fields (url, server, password, …)",
    }),
    description: t.string(),
    enabled: t.boolean({ description: 'default true' }),
  }),
});

const ConnectorUpdateInput = builder.inputType('ConnectorUpdateInput', {
  description: 'Replaces the configuration; a secret sent back as ****** keeps the stored one',
  fields: (t) => ({
    config: t.field({ type: 'JSON', required: true }),
    description: t.string({ description: 'unchanged when left out' }),
    enabled: t.boolean({ description: 'unchanged when left out' }),
  }),
});

const ConnectorSuccess = (name: string) => resourceResult(name, 'connector');
const DOMAINS = () => ['connectors' as const, 'actions' as const];
const idArgs = { deploymentId, id: integrationIdArg };

builder.mutationFields((t) => ({
  createConnector: t.field({
    type: ConnectorSuccess('CreateConnectorSuccess'),
    description: 'v5 `POST /connectors`. Broad (admin + justification) when the connector sends data out.',
    ...operatorOnly('createConnector'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateConnectorResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: ConnectorInput, required: true }),
      ...writeArgs(t.arg, { justification: true }),
    },
    resolve: brokerMutation({
      operation: 'createConnector',
      args: () => z.object({ deploymentId, input: connectorInput }),
      target: (a) => [`${a.input.type}:${a.input.name}`],
      invalidates: DOMAINS,
      run: async (api, a) => ({ value: await api.createConnector(a.input) }),
    }),
  }),
  updateConnector: t.field({
    type: ConnectorSuccess('UpdateConnectorSuccess'),
    description: 'v5 `PUT /connectors/{id}` after reading it; an unknown id is NOT_FOUND.',
    ...operatorOnly('updateConnector'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UpdateConnectorResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true, description: '"<type>:<name>"' }),
      input: t.arg({ type: ConnectorUpdateInput, required: true }),
      ...writeArgs(t.arg, { justification: true }),
    },
    resolve: brokerMutation({
      operation: 'updateConnector',
      args: () => z.object({ ...idArgs, input: connectorUpdate }),
      target: (a) => [a.id],
      invalidates: DOMAINS,
      invalidateFirst: true,
      run: async (api, a) => ({ value: await api.updateConnector({ ...splitId(a.id), ...a.input }) }),
    }),
  }),
  deleteConnector: t.field({
    type: idResult('DeleteConnectorSuccess', 'The connector is gone'),
    description: 'v5 `DELETE /connectors/{id}`; refused (UPSTREAM_ERROR) while actions use it.',
    ...operatorOnly('deleteConnector'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteConnectorResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteConnector',
      args: () => z.object(idArgs),
      target: (a) => [a.id],
      invalidates: DOMAINS,
      run: async (api, a) => {
        await api.deleteConnector(a.id);
        return { id: a.id };
      },
    }),
  }),
  setConnectorEnabled: t.field({
    type: idResult('SetConnectorEnabledSuccess', 'The connector is enabled or disabled', true),
    description: 'v5 `PUT /connectors/{id}/enable/{enabled}`. Enabling one that sends data out is broad.',
    ...operatorOnly('setConnectorEnabled'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SetConnectorEnabledResult' } },
    args: {
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
      enabled: t.arg.boolean({ required: true }),
      ...writeArgs(t.arg, { justification: true }),
    },
    resolve: brokerMutation({
      operation: 'setConnectorEnabled',
      args: () => z.object({ ...idArgs, enabled: z.boolean() }),
      target: (a) => [a.id],
      invalidates: DOMAINS,
      run: async (api, a) => {
        await api.setConnectorEnabled(a.id, a.enabled);
        return { id: a.id, enabled: a.enabled };
      },
    }),
  }),
  startConnector: t.field({
    type: idResult('StartConnectorSuccess', 'EMQX (re)started the connector on every node'),
    description: 'v5 `POST /connectors/{id}/start`; a disabled connector is refused (UPSTREAM_ERROR).',
    ...operatorOnly('startConnector'),
    errors: { types: MUTATION_ERRORS, union: { name: 'StartConnectorResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      id: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'startConnector',
      args: () => z.object(idArgs),
      target: (a) => [a.id],
      invalidates: DOMAINS,
      run: async (api, a) => {
        await api.startConnector(a.id);
        return { id: a.id };
      },
    }),
  }),
  testConnector: t.field({
    type: probeResult('TestConnectorSuccess'),
    description:
      'v5 `POST /connectors_probe`: whether EMQX could create it and reach its target; nothing is saved.',
    ...operatorOnly('testConnector'),
    errors: { types: MUTATION_ERRORS, union: { name: 'TestConnectorResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: ConnectorInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'testConnector',
      args: () => z.object({ deploymentId, input: connectorInput }),
      target: (a) => [`${a.input.type}:${a.input.name}`],
      invalidates: () => [],
      run: (api, a) => api.testConnector(a.input),
    }),
  }),
}));
