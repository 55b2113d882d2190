import type { BrokerReply, BrokerRequest } from './call.ts';
import type { BrokerIntegrationApi } from './integrations.ts';
import type {
  Alarm,
  ApiEndpoint,
  AuthnUser,
  AuthzCacheEntry,
  AuthzRuleSet,
  Ban,
  BrokerFreshness,
  BrokerMetrics,
  BrokerResource,
  BrokerStats,
  BrokerVersion,
  ClientQuery,
  ClusterNode,
  CursorPage,
  Fetched,
  MqttClient,
  MqttClientField,
  MqttSubscription,
  Page,
  PageRequest,
  RetainedMessage,
  Rule,
  RuleEvent,
  SessionMessage,
  SubscriptionQuery,
  TopicRoute,
} from './model.ts';
import type { BrokerMaintenanceApi, BrokerWriteApi } from './write-api.ts';

export type * from './model.ts';

/**
 * What the schema needs from a deployment's broker, in domain terms. One adapter per EMQX version
 * (src/broker/v4/, src/broker/v5/; src/broker/factory.ts picks one) implements it by translation only: paths, parameter
 * names, field names, units and envelopes. A feature a version lacks throws NotSupportedError from that
 * method alone. Reads return the freshness of the answer they come from (the transport may cache).
 * Writes (issue 5) extend this interface with their own methods in the same adapters.
 */
export interface BrokerReadApi {
  readonly deploymentId: string;
  readonly version: BrokerVersion;
  /** v4 `GET /clients` (`/nodes/{node}/clients`), v5 `GET /clients`; v5 sends `fields=` when given. */
  listClients(
    query: ClientQuery,
    page: PageRequest,
    options?: { fields?: readonly MqttClientField[] },
  ): Promise<Page<MqttClient>>;
  /**
   * Several clients by ID, in key order, null for an unknown one. v5: `GET /clients?clientid=a&clientid=b`
   * (one call per URL-sized chunk); v4: `GET /clients/{id}` each (v4 has no multi-ID read).
   */
  getClients(clientIds: readonly string[]): Promise<Array<Fetched<MqttClient | null>>>;
  /** v4 `GET /subscriptions/{clientid}`, v5 `GET /clients/{clientid}/subscriptions`; null: unknown client (v5). */
  clientSubscriptions(clientId: string): Promise<Fetched<MqttSubscription[] | null>>;
  /** v4/v5 `GET /subscriptions` (v4 `/nodes/{node}/subscriptions` for a node filter). */
  listSubscriptions(query: SubscriptionQuery, page: PageRequest): Promise<Page<MqttSubscription>>;
  /** v5 `GET /mqtt/retainer/messages?topic=` (no payloads); v4: not supported. */
  listRetained(topic: string | null, page: PageRequest): Promise<Page<RetainedMessage>>;
  /** v5 `GET /mqtt/retainer/message/{topic}` (base64 payload); v4: not supported. */
  getRetained(topic: string): Promise<Fetched<RetainedMessage | null>>;
  /** v4/v5 `GET /rules`. */
  listRules(page: PageRequest): Promise<Page<Rule>>;
  /** v4/v5 `GET /rules/{id}`. */
  getRule(id: string): Promise<Fetched<Rule | null>>;
  /** v5 `GET /rules/{id}/metrics`; v4 rules carry theirs (`Rule.metrics`), so v4 reads the rule. */
  ruleMetrics(id: string): Promise<Fetched<unknown>>;
  /** v4/v5 `GET /banned`. */
  listBans(page: PageRequest): Promise<Page<Ban>>;
  /** v4/v5 `GET /nodes`. */
  nodes(): Promise<Fetched<ClusterNode[]>>;
  /** v4 `GET /stats` (summed over nodes), v5 `GET /stats?aggregate=true`. */
  stats(): Promise<Fetched<BrokerStats>>;
  /** v4 `GET /metrics` (summed over nodes), v5 `GET /metrics?aggregate=true`. */
  metrics(): Promise<Fetched<BrokerMetrics>>;
  /** null = all. v4 `GET /alarms[/activated|/deactivated]`, v5 `GET /alarms?activated=`. */
  alarms(activated: boolean | null): Promise<Fetched<Alarm[]>>;
  /** v5 `GET /authentication/password_based:built_in_database/users`; v4: not supported. */
  listAuthnUsers(page: PageRequest, userIdContains?: string | null): Promise<Page<AuthnUser>>;
  /** v5 `GET /authorization/sources/built_in_database/rules/{users|clients|all}`; v4: not supported. */
  listAuthzRules(kind: AuthzRuleSet['kind'], page: PageRequest): Promise<Page<AuthzRuleSet>>;
  /** v5 `GET /actions`; v4: not supported. */
  actions(): Promise<Fetched<BrokerResource[]>>;
  /** v5 `GET /connectors`; v4: not supported. */
  connectors(): Promise<Fetched<BrokerResource[]>>;
  /** v4 `GET /plugins`; v5: not supported. */
  plugins(): Promise<Fetched<BrokerResource[]>>;
  /** v4 `GET /listeners` (per node), v5 `GET /listeners` (one entry per listener id, its nodes summed). */
  listeners(): Promise<Fetched<BrokerResource[]>>;
  /** v4 `GET /resources` (rule-engine resources); v5: not supported. */
  resources(): Promise<Fetched<BrokerResource[]>>;
}

/**
 * Reads an operator needs to look inside a running broker: the routing table, a client's session queues and
 * authorization cache, one node's counters, the rule events and the API index.
 */
export interface BrokerInspectionApi {
  /**
   * The routing table, or the routes of one topic filter. v4 `GET /routes` (`_page/_limit`) or
   * `GET /routes/{topic}`; v5 `GET /topics` (`page/limit`) or `GET /topics/{topic}` (404 → no routes).
   */
  routes(topic: string | null, page: PageRequest): Promise<Page<TopicRoute>>;
  /**
   * A connected client's cached authorization decisions; null when it is not connected.
   * v4 `GET /clients/{clientid}/acl_cache` (code 112 → null), v5 `GET /clients/{clientid}/authorization/cache`.
   */
  authorizationCache(clientId: string): Promise<Fetched<AuthzCacheEntry[] | null>>;
  /**
   * Messages queued for a session, or delivered and not yet acknowledged; null for an unknown client.
   * v5 `GET /clients/{clientid}/mqueue_messages|inflight_messages?position=&limit=&payload=base64`;
   * v4: not supported.
   */
  sessionMessages(
    queue: 'mqueue' | 'inflight',
    clientId: string,
    after: string | null,
    limit: number,
  ): Promise<CursorPage<SessionMessage> | null>;
  /** One node's gauges. v4/v5 `GET /nodes/{node}/stats`; an unknown node is NOT_FOUND. */
  nodeStats(node: string): Promise<Fetched<BrokerStats>>;
  /** One node's counters. v4/v5 `GET /nodes/{node}/metrics`; an unknown node is NOT_FOUND. */
  nodeMetrics(node: string): Promise<Fetched<BrokerMetrics>>;
  /** v4/v5 `GET /rule_events`. */
  ruleEvents(): Promise<Fetched<RuleEvent[]>>;
  /** v4 `GET /api/v4` (every route of the management API); v5: not supported. */
  apiEndpoints(): Promise<Fetched<ApiEndpoint[]>>;
}

/**
 * The interface the schema uses: reads here, writes in write-api.ts, data integration in integrations.ts.
 */
export interface BrokerApi
  extends BrokerReadApi,
    BrokerInspectionApi,
    BrokerWriteApi,
    BrokerMaintenanceApi,
    BrokerIntegrationApi {}

/**
 * How adapters reach the broker: one `send` per request. The gateway's transport (src/broker/transport.ts) caps
 * concurrency per deployment and answers GETs from the fleet cache; writes pass straight through.
 */
export interface BrokerTransport {
  send(request: BrokerRequest): Promise<BrokerReply & { freshness: BrokerFreshness }>;
}

/** The version a configured API address speaks: the console shows it ending in `/api/v4` or `/api/v5`. */
export function brokerVersionOf(apiUrl: string): BrokerVersion {
  const match = apiUrl.match(/\/api\/(v[45])\/?$/);
  if (!match) throw new Error('broker apiUrl must end in /api/v4 or /api/v5');
  return match[1] as BrokerVersion;
}
