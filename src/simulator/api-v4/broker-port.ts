import type { AlarmStore } from '../broker/alarms.ts';
import type { RuleEngine } from '../broker/rules/engine.ts';
import type { Ban, BanKind, ListenerInfo, MqttClientInfo, Qos, SubscriptionInfo } from '../broker/types.ts';

/** One entry of a client's authorization cache (`emqx_acl_cache`). */
export interface AclCacheEntry {
  access: 'publish' | 'subscribe';
  topic: string;
  result: 'allow' | 'deny';
  /** Epoch ms. */
  updatedTime: number;
}

/** Node facts the brokers/nodes endpoints print. */
export interface NodeFacts {
  name: string;
  version: string;
  startedAt: number;
  uptimeMs: number;
  connections: number;
  liveConnections: number;
}

export interface PublishMessage {
  topic: string;
  payload: Buffer;
  qos: Qos;
  retain: boolean;
  /** The `clientid` field of the v4 publish body, or null. */
  from: string | null;
}

/**
 * What the v4 API reads from and does to the simulated broker. `createBrokerPort` implements it on the
 * shared `BrokerCore`; the handlers never touch the core directly, so this is the one place that knows it.
 */
export interface V4Broker {
  readonly nodeName: string;
  node(): NodeFacts;
  /** Live and disconnected-but-persistent sessions. */
  clients(): MqttClientInfo[];
  /** False when no session has that client id. */
  kick(clientId: string): Promise<boolean>;
  /** Null when no session has that client id. */
  aclCache(clientId: string): AclCacheEntry[] | null;
  cleanAclCache(clientId: string): boolean;
  cleanAllAclCaches(): void;
  subscriptions(): SubscriptionInfo[];
  /** Subscribes on the session's behalf (`$share/…` included); false when there is no such session. */
  subscribe(clientId: string, topic: string, qos: Qos): Promise<boolean>;
  unsubscribe(clientId: string, topic: string): Promise<boolean>;
  /** Publishes and returns the message id (32 upper-case hex digits, like `emqx_guid`). */
  publish(message: PublishMessage): Promise<string>;
  bans(): Ban[];
  /** Replaces any ban on the same (as, who), as `emqx_banned:create/1` (a mnesia write) does in 4.4. */
  putBan(ban: Ban): void;
  deleteBan(as: BanKind, who: string): void;
  readonly rules: RuleEngine;
  readonly alarms: AlarmStore;
  /** Counters under their EMQX 5 names (the v4 layer renames the few that differ). */
  metrics(): Record<string, number>;
  /** Gauges: `connections.count`, `connections.max`, ... */
  stats(): Record<string, number>;
  listeners(): ListenerInfo[];
  /** False when no listener has that id. */
  restartListener(id: string): Promise<boolean>;
}
