import type { ReadSource } from '../store/read-through.ts';

/**
 * Broker data in the gateway's own terms, the same for EMQX v4 and v5. Adapters translate wire shapes into
 * these; the schema only ever sees these. Times are ISO 8601 strings (UTC), absent values are null.
 */

export type BrokerVersion = 'v4' | 'v5';

/** Where a broker answer came from: fetched now, from the fleet cache, or an older copy served on failure. */
export interface BrokerFreshness {
  source: ReadSource;
  /** Epoch ms of the upstream answer. */
  fetchedAt: number;
}

/** One value with the freshness of the answer it came from. */
export interface Fetched<T> {
  value: T;
  freshness: BrokerFreshness;
}

/** One EMQX page, in the same terms for v4 (`_page/_limit`) and v5 (`page/limit`). */
export interface PageRequest {
  /** 1-based EMQX page number. */
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** `meta.count` when EMQX reports a real count (v4 sends -1 when filtered, v5 omits it), else null. */
  totalCount: number | null;
  /** `meta.hasnext`, or derived from `count` / the page size when EMQX does not send it. */
  hasNext: boolean;
  freshness: BrokerFreshness;
}

export interface MqttClient {
  clientId: string;
  username: string | null;
  node: string | null;
  connected: boolean;
  ipAddress: string | null;
  port: number | null;
  protoName: string | null;
  protoVer: number | null;
  keepalive: number | null;
  cleanStart: boolean | null;
  expiryInterval: number | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  createdAt: string | null;
  subscriptionsCount: number | null;
  inflightCount: number | null;
  mqueueLength: number | null;
  mqueueDropped: number | null;
  receivedMessages: number | null;
  sentMessages: number | null;
  receivedBytes: number | null;
  sentBytes: number | null;
}

/** The MqttClient fields a list can be narrowed to (v5 `fields=`); `clientId` is always sent. */
export type MqttClientField = Exclude<keyof MqttClient, 'clientId'>;

export interface ClientQuery {
  clientIds?: readonly string[] | null;
  clientIdContains?: string | null;
  username?: string | null;
  usernameContains?: string | null;
  ipAddress?: string | null;
  connState?: string | null;
  cleanStart?: boolean | null;
  protoVer?: number | null;
  node?: string | null;
  connectedAfter?: Date | null;
  connectedBefore?: Date | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export interface MqttSubscription {
  clientId: string;
  /** The topic filter without any `$share/<group>/` prefix. */
  topic: string;
  qos: number;
  node: string | null;
  /** The group of a shared subscription (`$share/<group>/<topic>`), else null. */
  shareGroup: string | null;
}

export interface SubscriptionQuery {
  clientId?: string | null;
  topic?: string | null;
  matchTopic?: string | null;
  qos?: number | null;
  shareGroup?: string | null;
  node?: string | null;
}

export interface RetainedMessage {
  topic: string;
  /** As EMQX sends it: base64 in v5; absent from lists. */
  payload: string | null;
  qos: number;
  publishedAt: string | null;
  fromClientId: string | null;
  fromUsername: string | null;
}

export interface Rule {
  id: string;
  name: string | null;
  sql: string;
  enabled: boolean;
  description: string | null;
  topics: string[];
  actions: unknown;
  createdAt: string | null;
  /** v4 carries metrics inside the rule; undefined means "ask `ruleMetrics`" (v5). */
  metrics?: unknown;
}

export const BAN_KINDS = [
  'CLIENT_ID',
  'USERNAME',
  'PEER_HOST',
  'CLIENT_ID_REGEX',
  'USERNAME_REGEX',
  'PEER_HOST_NET',
] as const;
export type BanKind = (typeof BAN_KINDS)[number];

export interface Ban {
  kind: BanKind;
  who: string;
  by: string | null;
  reason: string | null;
  at: string | null;
  /** null = never expires. */
  until: string | null;
}

export interface ClusterNode {
  name: string;
  status: string | null;
  version: string | null;
  uptimeSeconds: number | null;
  connections: number | null;
}

/** Cluster-wide counters as one flat `{ "connections.count": n, … }` map (v4 nests per node; summed here). */
export interface BrokerStats {
  raw: Record<string, number>;
}

export interface BrokerMetrics {
  raw: Record<string, number>;
}

export interface Alarm {
  name: string;
  message: string | null;
  node: string | null;
  activatedAt: string | null;
  deactivatedAt: string | null;
  details: unknown;
}

/** v5 built-in database authentication user. */
export interface AuthnUser {
  userId: string;
  isSuperuser: boolean;
}

/** v5 built-in database authorization rules of one username, clientid or of everyone (`all`). */
/** One v5 built-in database authorization rule as EMQX stores it. */
export interface AuthzRule {
  topic: string;
  permission: 'allow' | 'deny';
  action: 'publish' | 'subscribe' | 'all';
  /** The QoS levels it applies to (EMQX stores all three when none was given). */
  qos: number[];
  /** true: retained messages only, false: non-retained only, null: both (EMQX's `"all"`). */
  retain: boolean | null;
}

export const ALL_QOS: readonly number[] = [0, 1, 2];

export interface AuthzRuleSet {
  kind: 'USERNAME' | 'CLIENT_ID' | 'ALL';
  who: string | null;
  rules: AuthzRule[];
}

/** A v5 action / connector, or a v4 rule-engine resource, plugin or listener: its id, state and raw config. */
export interface BrokerResource {
  id: string;
  name: string | null;
  type: string | null;
  status: string | null;
  enabled: boolean | null;
  node: string | null;
  raw: unknown;
}

/** A row of the routing table: a topic filter some session subscribes to, and a node that routes it. */
export interface TopicRoute {
  topic: string;
  node: string | null;
}

/** One cached authorization decision of a connected client (v4 ACL cache, v5 authorization cache). */
export interface AuthzCacheEntry {
  /** `publish` or `subscribe`. */
  access: string;
  topic: string;
  /** `allow` or `deny`. */
  result: string;
  updatedAt: string | null;
}

/** A message in a session's queue or inflight window (v5 `mqueue_messages` / `inflight_messages`). */
export interface SessionMessage {
  messageId: string;
  topic: string;
  qos: number;
  /** Base64, as requested from EMQX. */
  payload: string | null;
  publishedAt: string | null;
  fromClientId: string | null;
  fromUsername: string | null;
  /** EMQX's paging position of this message (after it, the next page starts). */
  position: string;
  /** mqueue only: the topic's priority (`"infinity"` is the highest), else null. */
  priority: string | null;
}

/** One chunk of a cursor-paged list (v5 `position`/`limit`): `nextCursor` is null at the end. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
  freshness: BrokerFreshness;
}

/** An event a rule can select from (`FROM "$events/…"`), with its columns. */
export interface RuleEvent {
  event: string;
  title: string | null;
  description: string | null;
  columns: unknown;
  testColumns: unknown;
  sqlExample: string | null;
}

/** A route of the v4 management API as `GET /api/v4` lists it. */
export interface ApiEndpoint {
  name: string;
  method: string;
  path: string;
  description: string | null;
}
