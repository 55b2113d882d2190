import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { MqttConfig } from '../config.ts';
import { type ExpectedError, UpstreamError, UpstreamUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { topicMatches } from './topic-filter.ts';

/**
 * The one MQTT connection of a deployment on this replica, shared by every stream that reads it. A topic
 * filter is subscribed while at least one listener needs it and unsubscribed when the last one leaves; the
 * connection opens on the first listener and closes after `idleMs` without any. A lost connection reconnects
 * with doubling backoff; listeners are failed only when it stays down for `downGraceMs`.
 */

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
  receivedAt: number;
}

export interface TopicListener {
  message(message: InboundMessage): void;
  /** The connection is gone for good (or the filter was refused): the listener has been removed. */
  fail(error: ExpectedError): void;
}

export interface MqttLinkOptions {
  deploymentId: string;
  config: MqttConfig;
  logger: Logger;
  /** @default 30_000 */
  idleMs: number;
  /** Budget of the first CONNECT. @default 3_000 */
  connectTimeoutMs: number;
  /** @default 30_000 */
  downGraceMs: number;
  /** Told when the connection opens (+1) and closes (-1). */
  onConnectionChange?: (delta: 1 | -1) => void;
  /** Told about every message received (metrics). */
  onMessage?: () => void;
}

export interface MqttLink {
  /** Resolves once the broker granted the filter; the returned function removes the listener. */
  subscribe(filter: string, listener: TopicListener): Promise<() => void>;
  /** Filters currently subscribed (for tests and metrics). */
  filters(): string[];
  /** Fails every listener (the gateway is shutting down) and closes the connection. */
  close(): Promise<void>;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** MQTT 3.1.1 CONNACK return codes 1-5 and MQTT 5 reason codes, as mqtt.js reports them. */
const refusal = (code: unknown) => (typeof code === 'number' ? `CONNACK_${code}` : null);

export function createMqttLink(options: MqttLinkOptions): MqttLink {
  const listeners = new Map<string, Set<TopicListener>>();
  const granting = new Map<string, Promise<void>>();
  let client: MqttClient | null = null;
  let ready: Promise<void> | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let downTimer: NodeJS.Timeout | null = null;
  const log = options.logger.child({ deploymentId: options.deploymentId, component: 'mqtt-link' });

  function failAll(error: ExpectedError) {
    const all = [...listeners.values()].flatMap((set) => [...set]);
    listeners.clear();
    granting.clear();
    for (const listener of all) listener.fail(error);
    void shutdown();
  }

  function open(): Promise<void> {
    const { config } = options;
    const created = mqtt.connect(config.url, {
      clientId: `emqx-cloud-gateway-${randomBytes(6).toString('hex')}`,
      ...(config.username ? { username: config.username } : {}),
      ...(config.password ? { password: config.password } : {}),
      protocolVersion: config.protocolVersion,
      clean: true,
      keepalive: 30,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: BACKOFF_MIN_MS,
      resubscribe: true,
    });
    client = created;
    created.on('message', (topic, payload, packet) => dispatch(topic, payload, packet.qos, packet.retain));
    created.on('connect', () => {
      created.options.reconnectPeriod = BACKOFF_MIN_MS;
      if (downTimer) clearTimeout(downTimer);
      downTimer = null;
    });
    // mqtt.js reads the period each time it schedules a reconnect: doubling it here is the backoff.
    created.on('offline', () => {
      created.options.reconnectPeriod = Math.min(BACKOFF_MAX_MS, (created.options.reconnectPeriod ?? 0) * 2);
      downTimer ??= setTimeout(() => {
        log.warn('MQTT connection stayed down; ending its streams');
        failAll(
          new UpstreamUnavailableError(`The MQTT connection to deployment ${options.deploymentId} is down`),
        );
      }, options.downGraceMs);
    });
    created.on('error', (error) => log.debug({ reason: (error as { code?: unknown }).code }, 'MQTT error'));
    options.onConnectionChange?.(1);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable()), options.connectTimeoutMs);
      const unavailable = () =>
        new UpstreamUnavailableError(
          `Cannot connect to the MQTT broker of deployment ${options.deploymentId}`,
        );
      created.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      created.once('error', (error) => {
        const code = refusal((error as { code?: unknown }).code);
        if (!code) return;
        clearTimeout(timer);
        reject(
          new UpstreamError(
            `The MQTT broker of deployment ${options.deploymentId} refused the connection`,
            code,
          ),
        );
      });
    });
  }

  function dispatch(topic: string, payload: Buffer, qos: number, retain: boolean) {
    options.onMessage?.();
    const message = { topic, payload, qos, retain, receivedAt: Date.now() };
    for (const [filter, set] of listeners) {
      if (!topicMatches(filter, topic)) continue;
      for (const listener of set) listener.message(message);
    }
  }

  async function shutdown() {
    const closing = client;
    client = null;
    ready = null;
    if (idleTimer) clearTimeout(idleTimer);
    if (downTimer) clearTimeout(downTimer);
    idleTimer = downTimer = null;
    if (!closing) return;
    options.onConnectionChange?.(-1);
    await closing.endAsync(true).catch(() => undefined);
  }

  async function connected(): Promise<MqttClient> {
    if (!ready) {
      ready = open();
      ready.catch(() => void shutdown());
    }
    await ready;
    if (!client) throw new UpstreamUnavailableError(`The MQTT connection to ${options.deploymentId} closed`);
    return client;
  }

  async function grant(filter: string): Promise<void> {
    const mqttClient = await connected();
    const granted = await mqttClient.subscribeAsync(filter, { qos: 2 }).catch((error: unknown) => {
      const codes = (error as { packet?: { granted?: number[] } }).packet?.granted;
      if (codes) return codes.map((qos) => ({ topic: filter, qos }));
      throw new UpstreamUnavailableError(`Cannot subscribe on deployment ${options.deploymentId}`);
    });
    if (granted.some((g) => g.qos >= 128)) {
      throw new UpstreamError(`The MQTT broker refused a subscription to ${filter}`, 'SUBSCRIBE_REFUSED');
    }
  }

  function release(filter: string, listener: TopicListener) {
    const set = listeners.get(filter);
    if (!set?.delete(listener) || set.size > 0) return;
    listeners.delete(filter);
    granting.delete(filter);
    client?.unsubscribe(filter);
    if (listeners.size === 0 && client) idleTimer = setTimeout(() => void shutdown(), options.idleMs);
  }

  return {
    async subscribe(filter, listener) {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      const set = listeners.get(filter) ?? new Set<TopicListener>();
      listeners.set(filter, set);
      set.add(listener);
      let pending = granting.get(filter);
      if (!pending) {
        pending = grant(filter);
        granting.set(filter, pending);
      }
      try {
        await pending;
      } catch (error) {
        if (granting.get(filter) === pending) granting.delete(filter);
        release(filter, listener);
        throw error;
      }
      return () => release(filter, listener);
    },
    filters: () => [...listeners.keys()],
    async close() {
      failAll(new UpstreamUnavailableError('The gateway is shutting down; reconnect to another replica'));
      await shutdown();
    },
  };
}
