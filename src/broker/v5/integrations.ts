import { z } from 'zod';
import type { BrokerTransport } from '../api.ts';
import { brokerPath, parseBody } from '../call.ts';
import type {
  ActionMetrics,
  BrokerIntegrationApi,
  IntegrationType,
  RegisteredSchema,
} from '../integrations.ts';
import { notSupported } from '../wire.ts';

/**
 * v5 data-integration reads (emqx-api.md §4.10, §4.11): the action kinds, one action's metrics and the
 * schema registry. 5.8 has no list of connector kinds, so `resourceTypes` is v4's alone.
 */

const typesSchema = z.array(z.string());

const count = z
  .number()
  .nullish()
  .transform((v) => v ?? null);
const metricsSchema = z
  .object({
    metrics: z
      .object({
        matched: count,
        success: count,
        failed: count,
        dropped: count,
        queuing: count,
        retried: count,
        inflight: count,
        received: count,
        rate: count,
        rate_max: count,
        rate_last5m: count,
      })
      .loose(),
    node_metrics: z
      .array(z.object({ node: z.string(), metrics: z.record(z.string(), z.unknown()) }))
      .default([]),
  })
  .transform(
    ({ metrics: m, node_metrics }): ActionMetrics => ({
      matched: m.matched,
      success: m.success,
      failed: m.failed,
      dropped: m.dropped,
      queuing: m.queuing,
      retried: m.retried,
      inflight: m.inflight,
      received: m.received,
      rate: m.rate,
      rateMax: m.rate_max,
      rateLast5m: m.rate_last5m,
      nodes: node_metrics,
    }),
  );

export const registeredSchemaSchema = z
  .object({
    name: z.string(),
    type: z.enum(['avro', 'protobuf', 'json']),
    source: z.string(),
    description: z.string().nullish(),
  })
  .loose()
  .transform(
    (s): RegisteredSchema => ({
      name: s.name,
      type: s.type.toUpperCase() as RegisteredSchema['type'],
      source: s.source,
      description: s.description ?? '',
    }),
  );
const registeredSchemasSchema = z.array(registeredSchemaSchema);

const typeOf = (name: string): IntegrationType => ({
  name,
  title: null,
  description: null,
  provider: null,
  resourceTypes: [],
  params: null,
});

export function v5IntegrationReads(
  t: BrokerTransport,
): Pick<
  BrokerIntegrationApi,
  | 'actionTypes'
  | 'actionType'
  | 'resourceTypes'
  | 'resourceType'
  | 'actionMetrics'
  | 'registeredSchemas'
  | 'registeredSchema'
> {
  async function actionTypes() {
    const path = brokerPath`/action_types`;
    const reply = await t.send({ domain: 'catalog', method: 'GET', path });
    return { value: parseBody(typesSchema, reply.body, path.route).map(typeOf), freshness: reply.freshness };
  }

  async function actionMetrics(id: string) {
    const path = brokerPath`/actions/${id}/metrics`;
    const reply = await t.send({ domain: 'actions', method: 'GET', path, accept: [404] });
    const value = reply.status === 404 ? null : parseBody(metricsSchema, reply.body, path.route);
    return { value, freshness: reply.freshness };
  }

  async function registeredSchemas() {
    const path = brokerPath`/schema_registry`;
    const reply = await t.send({ domain: 'schemas', method: 'GET', path });
    return { value: parseBody(registeredSchemasSchema, reply.body, path.route), freshness: reply.freshness };
  }

  async function registeredSchema(name: string) {
    const path = brokerPath`/schema_registry/${name}`;
    const reply = await t.send({ domain: 'schemas', method: 'GET', path, accept: [404] });
    const value = reply.status === 404 ? null : parseBody(registeredSchemaSchema, reply.body, path.route);
    return { value, freshness: reply.freshness };
  }

  return {
    actionTypes,
    async actionType(name) {
      const all = await actionTypes();
      return { value: all.value.find((a) => a.name === name) ?? null, freshness: all.freshness };
    },
    resourceTypes: notSupported('Listing resource (connector) types', 'v5'),
    resourceType: notSupported('Listing resource (connector) types', 'v5'),
    actionMetrics,
    registeredSchemas,
    registeredSchema,
  };
}
