import type { BrokerResource, Fetched } from './model.ts';

/**
 * Data integration, in domain terms: what EMQX sends out of the broker and through what. v5 has
 * connectors (the link to an external system) and actions (what a rule sends through a connector); v4 has
 * rule-engine resources (the link) and built-in action kinds. Both have a catalog of kinds.
 */

/** A kind of action or resource: v4 `GET /actions`, `/resource_types`; v5 `GET /action_types` (names only). */
export interface IntegrationType {
  name: string;
  title: string | null;
  description: string | null;
  /** Who provides it (v4 `app` / `provider`). */
  provider: string | null;
  /** v4 actions: the resource types they run on; empty otherwise. */
  resourceTypes: string[];
  /** v4: the parameters it takes, as EMQX describes them; null on v5. */
  params: unknown;
}

/** `GET /actions/{id}/metrics`: counters summed over the cluster, and per node. */
export interface ActionMetrics {
  matched: number | null;
  success: number | null;
  failed: number | null;
  dropped: number | null;
  queuing: number | null;
  retried: number | null;
  inflight: number | null;
  received: number | null;
  rate: number | null;
  rateMax: number | null;
  rateLast5m: number | null;
  nodes: Array<{ node: string; metrics: Record<string, unknown> }>;
}

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema in the v5 schema registry. */
export interface RegisteredSchema {
  name: string;
  type: SchemaType;
  source: string;
  description: string;
}

/** A v5 connector to create or replace. `config` holds the type's own fields (url, server, password, ...). */
export interface ConnectorWrite {
  type: string;
  name: string;
  config: Record<string, unknown>;
  description: string | null;
  /** null: EMQX's default (enabled) on create, unchanged on update. */
  enabled: boolean | null;
}

/** A v5 action to create or replace: the connector it sends through and its parameters. */
export interface ActionWrite {
  type: string;
  name: string;
  connector: string;
  parameters: Record<string, unknown>;
  /** Other fields of the type (resource_opts, tags, ...). */
  config: Record<string, unknown>;
  description: string | null;
  enabled: boolean | null;
}

/** A v4 rule-engine resource to create. */
export interface ResourceWrite {
  /** null: EMQX picks `resource:<8 hex>`. */
  id: string | null;
  type: string;
  config: Record<string, unknown>;
  description: string | null;
}

/** The id v5 uses for actions and connectors: `"<type>:<name>"`. */
export const integrationId = (w: { type: string; name: string }) => `${w.type}:${w.name}`;

export interface BrokerIntegrationApi {
  /** v4 `GET /actions` (built-in actions), v5 `GET /action_types` (names). */
  actionTypes(): Promise<Fetched<IntegrationType[]>>;
  /** v4 `GET /actions/{name}`; v5 reads `/action_types`. null when there is no such kind. */
  actionType(name: string): Promise<Fetched<IntegrationType | null>>;
  /** v4 `GET /resource_types`; v5: NOT_SUPPORTED (connector kinds are not listed by the 5.8 API). */
  resourceTypes(): Promise<Fetched<IntegrationType[]>>;
  /** v4 `GET /resource_types/{name}`; null when unknown. */
  resourceType(name: string): Promise<Fetched<IntegrationType | null>>;
  /** v5 `GET /actions/{id}/metrics`; null when unknown; v4: NOT_SUPPORTED. */
  actionMetrics(id: string): Promise<Fetched<ActionMetrics | null>>;
  /** v5 `GET /schema_registry`; v4: NOT_SUPPORTED. */
  registeredSchemas(): Promise<Fetched<RegisteredSchema[]>>;
  /** v5 `GET /schema_registry/{name}`; null when unknown. */
  registeredSchema(name: string): Promise<Fetched<RegisteredSchema | null>>;

  /** v5 `POST /connectors` (201). */
  createConnector(connector: ConnectorWrite): Promise<BrokerResource>;
  /** v5 `GET` then `PUT /connectors/{id}` (the PUT replaces the whole configuration). */
  updateConnector(connector: ConnectorWrite): Promise<BrokerResource>;
  /** v5 `DELETE /connectors/{id}` (204). */
  deleteConnector(id: string): Promise<void>;
  /** v5 `PUT /connectors/{id}/enable/{true|false}` (204). */
  setConnectorEnabled(id: string, enabled: boolean): Promise<void>;
  /** v5 `POST /connectors/{id}/start` (204). */
  startConnector(id: string): Promise<void>;
  /** v5 `POST /connectors_probe` (204, or 400 TEST_FAILED → the error). */
  testConnector(connector: ConnectorWrite): Promise<{ ok: boolean; code: string | null }>;
  /** v5 `POST /actions` (201). */
  createAction(action: ActionWrite): Promise<BrokerResource>;
  /** v5 `GET` then `PUT /actions/{id}`. */
  updateAction(action: ActionWrite): Promise<BrokerResource>;
  /** v5 `DELETE /actions/{id}` (204); refused with the dependent rule ids unless `withRules`. */
  deleteAction(id: string, withRules: boolean): Promise<void>;
  /** v5 `PUT /actions/{id}/enable/{true|false}` (204). */
  setActionEnabled(id: string, enabled: boolean): Promise<void>;
  /** v5 `POST /actions/{id}/start` (204). */
  startAction(id: string): Promise<void>;
  /** v5 `POST /actions_probe`. */
  testAction(action: ActionWrite): Promise<{ ok: boolean; code: string | null }>;
  /** v5 `PUT /actions/{id}/metrics/reset` (204). */
  resetActionMetrics(id: string): Promise<void>;
  /** v4 `POST /resources`: the new resource's id. */
  createResource(resource: ResourceWrite): Promise<BrokerResource>;
  /** v4 `DELETE /resources/{id}` (idempotent). */
  deleteResource(id: string): Promise<void>;
  /** v5 `POST /schema_registry` (201). */
  createRegisteredSchema(schema: RegisteredSchema): Promise<RegisteredSchema>;
  /** v5 `PUT /schema_registry/{name}` (200; 404 → NOT_FOUND). */
  updateRegisteredSchema(schema: RegisteredSchema): Promise<RegisteredSchema>;
  /** v5 `DELETE /schema_registry/{name}` (204; 404 → NOT_FOUND). */
  deleteRegisteredSchema(name: string): Promise<void>;
}
