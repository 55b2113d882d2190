import type { Aedes } from 'aedes';
import type { BrokerVersion } from '../types.ts';
import { createAccessHooks } from './access-hooks.ts';
import { type AlarmStore, createAlarmStore } from './alarms.ts';
import { type AuthnStore, createAuthnStore } from './authn.ts';
import { type AuthzStore, createAuthzStore } from './authz.ts';
import { type BanStore, createBanStore } from './bans.ts';
import { toClientInfo, toSubscriptions } from './client-info.ts';
import { createIntegrationStore, type IntegrationStore } from './integrations/store.ts';
import { trackMessages } from './message-events.ts';
import * as messaging from './messaging.ts';
import { type BrokerMetrics, createBrokerMetrics, type MetricName } from './metrics.ts';
import { type MqttListener, openMqttListener } from './mqtt-listener.ts';
import { createNodeView, type NodeView } from './node-view.ts';
import { type BrokerPersistence, copyRetained, createBrokerPersistence } from './persistence.ts';
import { createRuleActionRunner } from './rule-actions.ts';
import { createRuleEngine, type RuleEngine } from './rules/engine.ts';
import { isExpired } from './session.ts';
import { trackSessions } from './session-events.ts';
import { type AuthzCacheEntry, type CoreState, createCoreState } from './state.ts';
import { type BrokerStats, type GaugeName, observeStats } from './stats.ts';
import * as subscribing from './subscribing.ts';
import { createSystemMessages, type SystemMessages } from './system-messages.ts';
import type {
  MqttClientInfo,
  PublishOutcome,
  PublishRequest,
  RetainedMessage,
  SubscribeRequest,
  SubscriptionInfo,
} from './types.ts';

export interface BrokerCoreOptions {
  version: BrokerVersion;
  /** Erlang-style node name, e.g. `emqx@10.0.1.17`. */
  nodeName: string;
  /** Clock for every time the broker reports or compares (ban expiry, session expiry, uptime). */
  now: () => number;
  /** Licensed connections; `license_quota` is raised at 80 %. @default 10000 */
  connectionQuota?: number;
}

/**
 * The simulated EMQX broker: a real aedes MQTT broker plus the state EMQX keeps around it (sessions, bans,
 * built-in authn/authz, rules, retained messages, alarms, metrics). The v4 and v5 API layers only translate
 * this typed API into their wire formats; every answer is computed from live state.
 *
 * Stores that need no running broker are exposed as fields: {@link bans}, {@link authn}, {@link authz},
 * {@link rules}, {@link alarms}. They keep their content across stop/start, as does the retained store.
 */
export class BrokerCore {
  readonly version: BrokerVersion;
  readonly nodeName: string;
  /** `5.8.1` for v5, `4.4.19` for v4. */
  readonly emqxVersion: string;
  readonly bans: BanStore;
  /** Built-in database authenticator (seeded from `mqttUsers`); non-empty means CONNECT needs a match. */
  readonly authn: AuthnStore;
  /** Built-in database authorization rules, enforced on PUBLISH (silently dropped) and SUBSCRIBE (SUBACK 0x80). */
  readonly authz: AuthzStore;
  /** Rule engine; `republish` and `console` actions run for real. */
  readonly rules: RuleEngine;
  readonly alarms: AlarmStore;
  /** v5 connectors and actions; rules reference actions by id and `http` ones really send. */
  readonly integrations: IntegrationStore;
  readonly #metrics: BrokerMetrics;
  readonly #state: CoreState;
  readonly #node: NodeView;
  readonly #system: SystemMessages;
  #persistence: BrokerPersistence = createBrokerPersistence();
  #listener: MqttListener | null = null;
  #lastPort: number | null = null;

  constructor(options: BrokerCoreOptions) {
    const { now } = options;
    this.version = options.version;
    this.nodeName = options.nodeName;
    this.emqxVersion = options.version === 'v5' ? '5.8.1' : '4.4.19';
    this.bans = createBanStore(now);
    this.authn = createAuthnStore();
    this.authz = createAuthzStore();
    this.#system = createSystemMessages({
      version: options.version,
      nodeName: options.nodeName,
      now,
      broker: () => this.#broker(),
    });
    this.alarms = createAlarmStore(now, (operation, alarm) => this.#system.alarm(operation, alarm));
    this.integrations = createIntegrationStore();
    this.#metrics = createBrokerMetrics();
    const maxima = new Map<GaugeName, number>();
    this.#state = createCoreState({
      now,
      nodeName: options.nodeName,
      connectionQuota: options.connectionQuota ?? 10_000,
      stores: {
        bans: this.bans,
        authn: this.authn,
        authz: this.authz,
        alarms: this.alarms,
        metrics: this.#metrics,
      },
      observe: () => observeStats(this.#state, maxima),
    });
    this.rules = createRuleEngine(
      now,
      createRuleActionRunner(
        this.#state,
        () => this.#broker(),
        (ref, output) => this.integrations.deliver(ref, output),
      ),
    );
    this.#state.rules = this.rules;
    this.#node = createNodeView(this.#state, maxima, this.emqxVersion);
  }

  #broker(): Aedes | null {
    return this.#listener?.broker ?? null;
  }

  /** Opens the MQTT listener on 127.0.0.1 (port 0 the first time, the same port after a restart if free). */
  async start(): Promise<void> {
    if (this.#listener) return;
    const persistence = createBrokerPersistence();
    await copyRetained(this.#persistence, persistence);
    this.#persistence = persistence;
    const hooks = createAccessHooks(this.#state);
    this.#listener = await openMqttListener({ persistence, ...hooks }, this.#lastPort, (broker) => {
      trackSessions(broker, this.#state, () => this.#persistence, this.#system);
      trackMessages(broker, this.#state);
    });
    this.#lastPort = this.#listener.port;
    this.#node.started();
  }

  /** Disconnects every client and closes the listener; sessions end, everything else is kept. */
  async stop(): Promise<void> {
    const listener = this.#listener;
    if (!listener) return;
    this.#listener = null;
    await listener.close();
    this.#state.sessions.clear();
    this.#state.authzCache.clear();
    this.#node.stopped();
  }

  mqttPort(): number | null {
    return this.#listener?.port ?? null;
  }

  /** Live MQTT connections (sessions with a connected client); `username` counts only that user's. */
  mqttConnections(username?: string): number {
    let count = 0;
    for (const record of this.#state.sessions.values()) {
      if (record.connection && (username === undefined || record.username === username)) count++;
    }
    return count;
  }

  isRunning(): boolean {
    return this.#listener !== null;
  }

  #purgeExpired(): void {
    const now = this.#state.now();
    for (const [id, record] of this.#state.sessions) {
      if (!isExpired(record, now)) continue;
      this.#state.sessions.delete(id);
      void this.#persistence.cleanSubscriptions({ id });
    }
  }

  /** Every session: connected clients and disconnected persistent sessions, in connection order. */
  listClients(): MqttClientInfo[] {
    this.#purgeExpired();
    return [...this.#state.sessions.values()].map((r) => toClientInfo(r, this.nodeName));
  }

  getClient(clientId: string): MqttClientInfo | undefined {
    this.#purgeExpired();
    const record = this.#state.sessions.get(clientId);
    return record ? toClientInfo(record, this.nodeName) : undefined;
  }

  /** Disconnects the client and discards its session (persistent or not). False when there is no such session. */
  kick(clientId: string): Promise<boolean> {
    this.#purgeExpired();
    return subscribing.kick(this.#state, this.#persistence, clientId);
  }

  /** Every subscription of every session. */
  listSubscriptions(): SubscriptionInfo[] {
    this.#purgeExpired();
    return [...this.#state.sessions.values()].flatMap((r) => toSubscriptions(r, this.nodeName));
  }

  /** A session's subscriptions; undefined when the session does not exist. */
  clientSubscriptions(clientId: string): SubscriptionInfo[] | undefined {
    this.#purgeExpired();
    const record = this.#state.sessions.get(clientId);
    return record ? toSubscriptions(record, this.nodeName) : undefined;
  }

  /**
   * Subscribes a session on its client's behalf (no authorization check, as EMQX's API). One result per
   * request, in order; undefined when the session does not exist.
   */
  subscribe(
    clientId: string,
    requests: SubscribeRequest[],
  ): Promise<subscribing.SubscribeResult[] | undefined> {
    this.#purgeExpired();
    return subscribing.subscribe(this.#state, this.#persistence, clientId, requests, this.nodeName);
  }

  /** Removes subscriptions (topics as subscribed, `$share/...` included). False when the session does not exist. */
  unsubscribe(clientId: string, topics: string[]): Promise<boolean> {
    this.#purgeExpired();
    return subscribing.unsubscribe(this.#state, this.#persistence, clientId, topics);
  }

  /** Publishes through aedes as the management API; tells whether any subscription matched. Rejects when stopped. */
  publish(request: PublishRequest): Promise<PublishOutcome> {
    return messaging.publishFromApi(this.#state, this.#broker(), request);
  }

  /** Retained messages matching a topic filter (default `#`: all). */
  listRetained(filter?: string): Promise<RetainedMessage[]> {
    return messaging.listRetained(this.#state, this.#persistence, filter);
  }

  async getRetained(topic: string): Promise<RetainedMessage | undefined> {
    const found = await messaging.listRetained(this.#state, this.#persistence, topic);
    return found.find((m) => m.topic === topic);
  }

  deleteRetained(topic: string): Promise<boolean> {
    return messaging.deleteRetained(this.#state, this.#persistence, topic);
  }

  async clearRetained(): Promise<void> {
    for (const message of await this.listRetained()) await this.deleteRetained(message.topic);
  }

  /** Messages queued for a session (QoS 1/2 kept while it was offline); undefined when the session does not exist. */
  async mqueueMessages(clientId: string): Promise<messaging.QueuedMessage[] | undefined> {
    if (!this.#state.sessions.has(clientId)) return undefined;
    return messaging.queuedMessages(this.#state, this.#persistence, clientId);
  }

  /** QoS 1/2 deliveries the client has not acknowledged; undefined when the session does not exist. */
  inflightMessages(clientId: string): messaging.QueuedMessage[] | undefined {
    if (!this.#state.sessions.has(clientId)) return undefined;
    return messaging.inflightMessages(this.#state, clientId);
  }

  /** Recent authorization decisions of a connected client, newest first; undefined when not connected. */
  authzCache(clientId: string): AuthzCacheEntry[] | undefined {
    if (!this.#state.sessions.get(clientId)?.connection) return undefined;
    return this.#state.authzCache.get(clientId) ?? [];
  }

  /** Clears one client's cache (false when not connected), or every client's when no id is given. */
  clearAuthzCache(clientId?: string): boolean {
    if (clientId === undefined) this.#state.authzCache.clear();
    else if (!this.#state.sessions.get(clientId)?.connection) return false;
    else this.#state.authzCache.delete(clientId);
    return true;
  }

  nodeInfo() {
    this.#purgeExpired();
    return this.#node.info();
  }

  listeners() {
    return this.#node.listeners(this.mqttPort());
  }

  /** `/stats` gauges: `connections.count`, `subscriptions.count`, `retained.count`, ... each with `.max`. */
  stats(): BrokerStats {
    this.#purgeExpired();
    return observeStats(this.#state, this.#node.maxima);
  }

  /** `/metrics` counters (`messages.received`, `bytes.sent`, `client.connected`, ...). */
  metrics(): Record<MetricName, number> {
    return this.#node.metrics();
  }
}
