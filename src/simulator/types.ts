import type { IncomingHttpHeaders } from 'node:http';

/**
 * Shapes shared by every part of the EMQX Cloud simulator: the platform API, the per-deployment v4/v5
 * broker APIs and the HTTP listeners that serve them (with the request log and fault switches).
 */

/** One HTTP request as an API handler sees it. `rawPath` is exactly what came on the wire (still percent-encoded). */
export interface SimRequest {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Already serialised; `undefined` means an empty body (e.g. 204). */
  body?: string | Buffer;
}

export type SimHandler = (request: SimRequest) => Promise<SimResponse> | SimResponse;

/** What the simulator saw, for tests to use as the oracle of what the gateway sent. */
export interface RequestLogEntry {
  /** `platform` or a deployment ID. */
  target: string;
  method: string;
  rawPath: string;
  /** Raw query string without the leading `?` (empty when none). */
  query: string;
  body: string;
  status: number;
  at: number;
  /** The W3C trace context the caller sent, if any (the only header kept: never credentials). */
  traceparent?: string;
}

/** A fault switch for one target: answer with a fixed status/body, add latency, or never answer. */
export interface Fault {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  hang?: boolean;
  /**
   * The real answer, with its body cut after this many bytes (the handler runs, so a write is applied): what a
   * proxy or a dying connection can hand back. The declared length is the cut one.
   */
  truncateBodyAt?: number;
  /** Only requests whose raw path contains this string are affected (all when absent). */
  pathIncludes?: string;
  /** Only requests with this method are affected (all when absent). */
  method?: string;
}

export type BrokerVersion = 'v4' | 'v5';

/**
 * One simulated deployment's broker: a real MQTT broker plus its management API.
 * The platform simulator calls start/stop at status transitions.
 */
export interface SimBroker {
  readonly version: BrokerVersion;
  /** The management API for this broker's version (v4 `/api/v4/...` or v5 `/api/v5/...` paths). */
  readonly api: SimHandler;
  /** The MQTT TCP port while running, else null. */
  mqttPort(): number | null;
  /** Live MQTT connections, or only those of one username. */
  mqttConnections(username?: string): number;
  /** Raises an alarm (publishing `$SYS/brokers/<node>/alarms/activate` while running). */
  raiseAlarm(name: string, message: string, details?: Record<string, unknown>): void;
  /** Clears an active alarm (publishing `.../alarms/deactivate` while running). */
  clearAlarm(name: string): void;
  /** Opens the MQTT listener (on its previous port when restarted, if free). */
  start(): Promise<void>;
  /** Disconnects every client and closes the MQTT listener. State (bans, rules, retained) is kept. */
  stop(): Promise<void>;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

export const empty = (status: number): SimResponse => ({ status });
