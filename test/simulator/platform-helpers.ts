import { Agent, request } from 'undici';
import type { BrokerFactory } from '../../src/simulator/deployment-runtime.ts';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import { json } from '../../src/simulator/types.ts';

/**
 * A broker that only records whether it runs: these tests are about the platform API, not the broker.
 * Its API answers like EMQX v5 does for an unknown path.
 */
export function createStubBrokers() {
  const running = new Map<string, boolean>();
  const factory: BrokerFactory = (options) => ({
    version: options.version,
    api: () => json(404, { code: 'NOT_FOUND', message: 'Request Path Not Found' }),
    mqttPort: () => (running.get(options.deploymentId) ? 1883 : null),
    mqttConnections: () => 0,
    raiseAlarm() {},
    clearAlarm() {},
    async start() {
      running.set(options.deploymentId, true);
    },
    async stop() {
      running.set(options.deploymentId, false);
    },
  });
  return { factory, isRunning: (id: string) => running.get(id) === true };
}

/** Quotas out of the way, for tests that are not about quotas. */
export const GENEROUS_QUOTAS: SimulatorOptions['quotas'] = {
  listDeployments: { limit: 10_000, windowSeconds: 3600 },
  getDeployment: { limit: 10_000, windowSeconds: 3600 },
  startDeployment: { limit: 10_000, windowSeconds: 3600 },
  stopDeployment: { limit: 10_000, windowSeconds: 3600 },
  createDeployment: { limit: 10_000, windowSeconds: 3600 },
  listProjects: { limit: 10_000, windowSeconds: 3600 },
};

export const FAST_DELAYS = { startMs: 50, stopMs: 50, createMs: 50 };

export async function startTestSimulator(options: SimulatorOptions = {}) {
  const brokers = createStubBrokers();
  const sim = await createSimulator({
    brokerFactory: brokers.factory,
    delays: FAST_DELAYS,
    quotas: GENEROUS_QUOTAS,
    ...options,
  });
  return { sim, brokers };
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** One call to the platform API with the simulator's own credentials unless others are given. */
export function createPlatformClient(sim: Simulator) {
  const dispatcher = new Agent();
  const call = async (
    method: string,
    path: string,
    options: { auth?: string | null; body?: string; headers?: Record<string, string> } = {},
  ): Promise<CallResult> => {
    const auth =
      options.auth === undefined ? basic(sim.platform.apiKey, sim.platform.apiSecret) : options.auth;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (auth !== null) headers.authorization = auth;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await request(`${sim.platform.url}${path}`, {
      method: method as 'GET',
      headers,
      dispatcher,
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
  };
  return { call, close: () => dispatcher.close() };
}

/** Polls `read` until `done` holds (a loop over real requests, not a sleep standing in for a condition). */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
