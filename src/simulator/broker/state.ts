import type { Client as AedesClient } from 'aedes';
import type { AlarmStore } from './alarms.ts';
import type { AuthnStore } from './authn.ts';
import type { AuthzStore } from './authz.ts';
import type { BanStore } from './bans.ts';
import { createMessageIdGenerator } from './message-id.ts';
import type { BrokerMetrics } from './metrics.ts';
import type { RuleEngine } from './rules/engine.ts';
import type { ConnectInfo, SessionRecord } from './session.ts';
import type { DisconnectReason } from './system-payloads.ts';
import { topicMatches } from './topic.ts';
import type { ClientCounters } from './types.ts';

/** Where a denied publish is diverted so aedes drops it without closing the connection (EMQX `deny_action = ignore`). */
export const DENIED_TOPIC = '$simulator/denied';

/** Who published a message and when, kept beside the packet aedes passes around (see {@link attachOrigin}). */
export interface MessageOrigin {
  id: string;
  publishAt: number;
  fromClientId: string | null;
  fromUsername: string | null;
  /** The rule that republished this message, so it does not loop on its own output. */
  republishedBy?: string;
}

/** A connection between CONNECT and its session, with the counters it is already accumulating. */
export interface PendingConnection extends ConnectInfo {
  counters: ClientCounters;
  isSuperuser: boolean;
}

export interface AuthzCacheEntry {
  access: 'publish' | 'subscribe';
  result: 'allow' | 'deny';
  topic: string;
  updatedTime: number;
}

/** Everything the aedes hooks, the event handlers and the core facade share. */
export interface CoreState {
  now: () => number;
  nodeName: string;
  sessions: Map<string, SessionRecord>;
  bans: BanStore;
  authn: AuthnStore;
  authz: AuthzStore;
  rules: RuleEngine;
  alarms: AlarmStore;
  metrics: BrokerMetrics;
  /** Origins of the retained messages in the persistence, by topic (its size is `retained.count`). */
  retainedMeta: Map<string, MessageOrigin>;
  pending: WeakMap<AedesClient, PendingConnection>;
  origins: WeakMap<object, MessageOrigin>;
  /** Raises the `/stats` high-water marks; called after changes that can raise one. */
  observe: () => void;
  /** Subscription objects the management API asked for: they skip authorization and SUBACK accounting. */
  apiSubscriptions: WeakSet<object>;
  /** `$share` groups of subscription objects whose topic was stripped for aedes. */
  shareGroups: WeakMap<object, string>;
  authzCache: Map<string, AuthzCacheEntry[]>;
  nextMessageId: () => string;
  /** Socket bytes of connections that have closed (the live ones are read on demand). */
  closedBytes: { read: number; written: number };
  connectionQuota: number;
  /** Why a connection is being closed, set by whoever closes it (kick, takeover, keepalive timeout). */
  disconnectReasons: WeakMap<AedesClient, DisconnectReason>;
}

/** Sessions (live or waiting) holding a subscription that matches the topic. */
export function hasSubscriber(state: CoreState, topic: string): boolean {
  for (const record of state.sessions.values()) {
    for (const sub of record.subscriptions.values()) if (topicMatches(sub.filter, topic)) return true;
  }
  return false;
}

export function liveConnections(state: CoreState): number {
  let count = 0;
  for (const record of state.sessions.values()) if (record.connection) count++;
  return count;
}

/** EMQX's defaults: `authorization.cache.max_size = 32`, `ttl = 1m` (v4 `acl_cache_max_size`, `acl_cache_ttl`). */
const AUTHZ_CACHE_MAX = 32;
export const AUTHZ_CACHE_TTL_MS = 60_000;

/**
 * A decision still in the client's cache: EMQX answers from it without looking at the rules again, so a rule
 * change reaches a connected client only when the entry expires or the cache is cleared.
 */
export function cachedAuthz(
  state: CoreState,
  clientId: string,
  access: AuthzCacheEntry['access'],
  topic: string,
): AuthzCacheEntry | undefined {
  const entry = state.authzCache.get(clientId)?.find((e) => e.access === access && e.topic === topic);
  return entry && state.now() - entry.updatedTime < AUTHZ_CACHE_TTL_MS ? entry : undefined;
}

export function rememberAuthz(state: CoreState, clientId: string, entry: AuthzCacheEntry): void {
  const entries = (state.authzCache.get(clientId) ?? []).filter(
    (e) => !(e.access === entry.access && e.topic === entry.topic),
  );
  entries.unshift(entry);
  state.authzCache.set(clientId, entries.slice(0, AUTHZ_CACHE_MAX));
}

/** `::ffff:1.2.3.4` as EMQX shows it: `1.2.3.4`. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/**
 * Links an origin to a packet. aedes copies packets (retained store, offline queues, deliveries) but keeps the
 * `properties` object by reference, and never writes it to MQTT 3.1.1 clients, so it carries the link.
 */
export function attachOrigin(state: CoreState, packet: { properties?: object }, origin: MessageOrigin): void {
  packet.properties ??= {};
  state.origins.set(packet.properties, origin);
}

export function originOf(state: CoreState, packet: { properties?: object }): MessageOrigin | undefined {
  return packet.properties ? state.origins.get(packet.properties) : undefined;
}

export interface CoreStateInit {
  now: () => number;
  nodeName: string;
  connectionQuota: number;
  stores: Pick<CoreState, 'bans' | 'authn' | 'authz' | 'alarms' | 'metrics'>;
  observe: () => void;
}

/** Fresh state; `rules` is set by the core right after, as the engine itself needs the state. */
export function createCoreState(init: CoreStateInit): CoreState {
  return {
    ...init.stores,
    now: init.now,
    nodeName: init.nodeName,
    connectionQuota: init.connectionQuota,
    observe: init.observe,
    sessions: new Map(),
    rules: undefined as unknown as RuleEngine,
    retainedMeta: new Map(),
    pending: new WeakMap(),
    origins: new WeakMap(),
    apiSubscriptions: new WeakSet(),
    shareGroups: new WeakMap(),
    authzCache: new Map(),
    nextMessageId: createMessageIdGenerator(init.now),
    closedBytes: { read: 0, written: 0 },
    disconnectReasons: new WeakMap(),
  };
}
