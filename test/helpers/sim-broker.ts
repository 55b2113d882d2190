import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { createSimBroker, type SimBrokerOptions } from '../../src/simulator/broker/index.ts';
import { createFaultStore } from '../../src/simulator/faults.ts';
import { createHttpListener } from '../../src/simulator/http-listener.ts';
import { createRequestLog } from '../../src/simulator/request-log.ts';
import type { SimBroker } from '../../src/simulator/types.ts';

export interface ApiReply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body; undefined when the body is empty or not JSON. */
  json: any;
}

export interface ApiRequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent as is (no content type unless given in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
  /** Basic credentials instead of the app's; `null` sends no Authorization header. */
  auth?: { user: string; pass: string } | null;
}

/** A test clock: `now()` for the broker, `advance()` to move past ban or session expiry without sleeping. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function createTestClock(start = Date.now()): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}

/**
 * Waits until `check` holds, re-checking on a short interval: for broker-side effects with no event a test
 * can listen to (a disconnect seen from the server side). Fails after `timeoutMs`.
 */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves when the client's connection closes. */
export function closeOf(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** The next message the client receives. */
export function nextMessage(client: MqttClient): Promise<ReceivedMessage> {
  return new Promise((resolve) =>
    client.once('message', (topic, payload, packet) =>
      resolve({ topic, payload, qos: packet.qos, retain: packet.retain }),
    ),
  );
}

export interface SimBrokerHarness {
  readonly broker: SimBroker;
  readonly apiUrl: string;
  readonly mqttUrl: () => string;
  readonly app: { appId: string; appSecret: string };
  /** The device user seeded through `mqttUsers`. */
  readonly user: { username: string; password: string };
  readonly clock: TestClock;
  /** An HTTP call under `/api/v5` (or `/api/v4`): `path` starts after the version prefix. */
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiReply>;
  /** An MQTT 3.1.1 client connected as the device user (closed by `close()`). */
  connect(clientId: string, options?: mqtt.IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

/**
 * One call to a simulated management API with the app's Basic credentials (or `auth`), the body sent as JSON
 * or raw; the reply with its text and, when it is JSON, its parsed body.
 */
export async function apiRequest(
  url: string,
  method: string,
  app: { appId: string; appSecret: string },
  options: ApiRequestOptions = {},
): Promise<ApiReply> {
  const auth = options.auth === undefined ? { user: app.appId, pass: app.appSecret } : options.auth;
  const headers: Record<string, string> = { ...options.headers };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startSimBroker(options: Partial<SimBrokerOptions> = {}): Promise<SimBrokerHarness> {
  const app = { appId: randomBytes(4).toString('hex'), appSecret: randomBytes(12).toString('hex') };
  const user = { username: 'device-01', password: randomBytes(8).toString('hex') };
  const clock = createTestClock();
  const version = options.version ?? 'v5';
  const broker = createSimBroker({
    deploymentId: `d-${randomBytes(3).toString('hex')}`,
    version,
    ...app,
    mqttUsers: [user],
    nodeName: 'emqx@10.0.1.17',
    now: clock.now,
    ...options,
  });
  await broker.start();
  // The simulator's own listener, as a deployment's API is served in production use of the simulator.
  const listener = await createHttpListener({
    target: 'broker',
    handler: broker.api,
    requestLog: createRequestLog(),
    faults: createFaultStore(),
  });
  const apiUrl = `${listener.origin}/api/${version}`;
  const clients: MqttClient[] = [];
  return {
    broker,
    apiUrl,
    mqttUrl: () => `mqtt://127.0.0.1:${broker.mqttPort()}`,
    app,
    user,
    clock,
    request: (method, path, opts = {}) =>
      apiRequest(`${apiUrl}${path}`, method, app, {
        ...opts,
        headers: { accept: 'application/json', ...opts.headers },
      }),
    async connect(clientId, mqttOptions = {}) {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort()}`, {
        clientId,
        username: user.username,
        password: user.password,
        reconnectPeriod: 0,
        ...mqttOptions,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker.stop();
      await listener.close();
    },
  };
}
