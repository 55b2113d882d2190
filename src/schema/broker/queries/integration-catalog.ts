import type { ActionMetrics, IntegrationType, RegisteredSchema } from '../../../broker/integrations.ts';
import { brokerOf } from '../../../broker/request.ts';
import { integrationIdArg, integrationName, schemaName } from '../../../validation/integration.ts';
import { builder } from '../../builder.ts';
import { DeploymentRef } from '../../deployments/deployment.ts';

/**
 * The data-integration catalog and state beside `actions`/`connectors`/`resources`: the kinds of actions
 * and resources a deployment offers (v4 `/actions`, `/resource_types`; v5 `/action_types`), one action's
 * metrics (v5) and the schema registry (v5).
 */

export const IntegrationTypeRef = builder.objectRef<IntegrationType>('IntegrationType').implement({
  description: 'A kind of action or resource. v5 lists action kinds by name only.',
  fields: (t) => ({
    name: t.exposeString('name'),
    title: t.exposeString('title', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    provider: t.exposeString('provider', { nullable: true, description: 'v4 `app` / `provider`' }),
    resourceTypes: t.exposeStringList('resourceTypes', {
      description: 'v4 actions: the resource types they use',
    }),
    params: t.field({
      type: 'JSON',
      nullable: true,
      description: 'v4: its parameters as EMQX describes them',
      resolve: (r) => r.params,
    }),
  }),
});

export const ActionMetricsRef = builder.objectRef<ActionMetrics>('ActionMetrics').implement({
  description: 'Counters of one v5 action, summed over the cluster (`GET /actions/{id}/metrics`)',
  fields: (t) => ({
    matched: t.exposeInt('matched', { nullable: true }),
    success: t.exposeInt('success', { nullable: true }),
    failed: t.exposeInt('failed', { nullable: true }),
    dropped: t.exposeInt('dropped', { nullable: true }),
    queuing: t.exposeInt('queuing', { nullable: true }),
    retried: t.exposeInt('retried', { nullable: true }),
    inflight: t.exposeInt('inflight', { nullable: true }),
    received: t.exposeInt('received', { nullable: true }),
    rate: t.exposeFloat('rate', { nullable: true }),
    rateMax: t.exposeFloat('rateMax', { nullable: true }),
    rateLast5m: t.exposeFloat('rateLast5m', { nullable: true }),
    nodes: t.field({
      type: 'JSON',
      description: 'per node: `[{node, metrics}]` as EMQX sent them',
      resolve: (m) => m.nodes,
    }),
  }),
});

export const SchemaTypeEnum = builder.enumType('SchemaType', {
  values: ['AVRO', 'PROTOBUF', 'JSON'] as const,
});

export const RegisteredSchemaRef = builder.objectRef<RegisteredSchema>('RegisteredSchema').implement({
  description: 'A schema in the v5 schema registry (rule SQL `schema_decode` / `schema_encode`)',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: SchemaTypeEnum, resolve: (s) => s.type }),
    source: t.exposeString('source'),
    description: t.exposeString('description'),
  }),
});

const viewer = { authScopes: { viewer: true } } as const;

builder.objectFields(DeploymentRef, (t) => ({
  actionTypes: t.field({
    type: [IntegrationTypeRef],
    nullable: true,
    ...viewer,
    description: 'v4 `GET /actions` (built-in actions, with titles and parameters), v5 `GET /action_types`',
    resolve: async (deployment, _, context) => (await brokerOf(context, deployment).api.actionTypes()).value,
  }),
  actionType: t.field({
    type: IntegrationTypeRef,
    nullable: true,
    ...viewer,
    description: 'v4 `GET /actions/{name}`; v5 picks it from `/action_types`; null when unknown',
    args: { name: t.arg.string({ required: true, validate: integrationName }) },
    resolve: async (deployment, { name }, context) =>
      (await brokerOf(context, deployment).api.actionType(name)).value,
  }),
  resourceTypes: t.field({
    type: [IntegrationTypeRef],
    nullable: true,
    ...viewer,
    description: 'v4 `GET /resource_types`; NOT_SUPPORTED on v5 (5.8 lists no connector kinds)',
    resolve: async (deployment, _, context) =>
      (await brokerOf(context, deployment).api.resourceTypes()).value,
  }),
  resourceType: t.field({
    type: IntegrationTypeRef,
    nullable: true,
    ...viewer,
    description: 'v4 `GET /resource_types/{name}`; null when unknown; NOT_SUPPORTED on v5',
    args: { name: t.arg.string({ required: true, validate: integrationName }) },
    resolve: async (deployment, { name }, context) =>
      (await brokerOf(context, deployment).api.resourceType(name)).value,
  }),
  actionMetrics: t.field({
    type: ActionMetricsRef,
    nullable: true,
    ...viewer,
    description: 'v5 `GET /actions/{id}/metrics` (id `type:name`); null when unknown; NOT_SUPPORTED on v4',
    args: { id: t.arg.string({ required: true, validate: integrationIdArg }) },
    resolve: async (deployment, { id }, context) =>
      (await brokerOf(context, deployment).api.actionMetrics(id)).value,
  }),
  registeredSchemas: t.field({
    type: [RegisteredSchemaRef],
    nullable: true,
    ...viewer,
    description: 'v5 `GET /schema_registry`; NOT_SUPPORTED on v4',
    resolve: async (deployment, _, context) =>
      (await brokerOf(context, deployment).api.registeredSchemas()).value,
  }),
  registeredSchema: t.field({
    type: RegisteredSchemaRef,
    nullable: true,
    ...viewer,
    description: 'v5 `GET /schema_registry/{name}`; null when unknown',
    args: { name: t.arg.string({ required: true, validate: schemaName }) },
    resolve: async (deployment, { name }, context) =>
      (await brokerOf(context, deployment).api.registeredSchema(name)).value,
  }),
}));
