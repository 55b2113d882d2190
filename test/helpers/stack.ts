import { Writable } from 'node:stream';
import { request } from 'undici';
import { brokerCacheScope } from '../../src/broker/cache-keys.ts';
import { BROKER_DOMAINS } from '../../src/broker/call.ts';
import { type FileConfig, parseConfig } from '../../src/config.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

/**
 * A whole stack for one test file: the simulator over real HTTP/MQTT and one or more in-process gateways
 * pointed at it. Tokens for each role are random per stack; every log line is captured for redaction checks.
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

export interface StackOptions {
  simulator?: SimulatorOptions;
  /** Edits the configuration document before it is parsed (quotas, TTLs, deployments...). */
  configure?: (config: Record<string, any>) => void;
  redisUrl?: string;
  /** Extra environment for `${NAME}` interpolation. */
  env?: Record<string, string>;
  /** See GatewayOptions.redisCommandTimeoutMs. */
  redisCommandTimeoutMs?: number;
}

export interface GraphQLResult<T = any> {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }> };
}

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  text() {
    return this.lines.join('\n');
  }
}

const randomToken = (label: string) => `${label}-${crypto.randomUUID()}-${crypto.randomUUID()}`;

/** The configuration document a test gateway gets: every simulated deployment's broker, a key per role. */
export function stackConfig(sim: Simulator, tokens: Record<string, string>): Record<string, any> {
  const deployments: Record<string, Record<string, unknown>> = {};
  for (const d of sim.deployments()) {
    const url = d.mqttUrl();
    const user = d.gatewayMqttUser;
    // A running deployment's MQTT address is known; a stopped one gets no port until it first starts.
    const mqtt = url && user ? { mqtt: { url, username: user.username, password: user.password } } : {};
    deployments[d.id] = { apiUrl: d.apiUrl, apiKey: d.appId, apiSecret: d.appSecret, ...mqtt };
  }
  return {
    platform: { apiUrl: sim.platform.url, apiKey: sim.platform.apiKey, apiSecret: sim.platform.apiSecret },
    deployments,
    cache: { deploymentsTtlSeconds: 60, brokerTtlSeconds: 5 },
    // Tests of other behaviour fail one upstream many times on purpose; the breaker has its own tests.
    upstream: {
      connectTimeoutMs: 1000,
      timeoutMs: 2000,
      brokerConcurrency: 8,
      breaker: { failures: 1000, openSeconds: 1 },
    },
    // Likewise shedding: a test machine shared by many suites runs late by itself; the shedding tests opt in.
    // A spawned replica stopped by a test exits without waiting for a load balancer.
    server: { maxInFlight: 100_000, maxEventLoopDelayMs: 60_000, shutdownDelayMs: 100 },
    auth: {
      apiKeys: [
        ...ROLES.map((role) => ({ name: `${role}-key`, key: tokens[role], role, projects: ['*'] })),
        { name: 'staging-operator', key: tokens.stagingOperator, role: 'operator', projects: ['staging'] },
      ],
    },
  };
}

export interface Stack {
  sim: Simulator;
  tokens: Record<RoleName | 'stagingOperator', string>;
  gateways: Gateway[];
  logs: LogCapture[];
  urls: string[];
  /** Sends one GraphQL request to gateway `index` (default 0) as `token` (default admin). */
  gql<T = any>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string | null; gateway?: number },
  ): Promise<GraphQLResult<T>>;
  /** Starts one more gateway on the same simulator and configuration (another replica). */
  addGateway(): Promise<Gateway>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = await createSimulator({
    delays: { startMs: 100, stopMs: 100, createMs: 100 },
    ...options.simulator,
  });
  const tokens = {
    viewer: randomToken('viewer'),
    operator: randomToken('operator'),
    admin: randomToken('admin'),
    stagingOperator: randomToken('staging'),
  };
  const document = stackConfig(sim, tokens);
  options.configure?.(document);
  const env = {
    GATEWAY_CONFIG_FILE: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    ...options.env,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  };
  const config = parseConfig(document as FileConfig, env);
  const gateways: Gateway[] = [];
  const logs: LogCapture[] = [];
  const urls: string[] = [];

  async function addGateway() {
    const log = new LogCapture();
    const gateway = createGateway(config, {
      logDestination: log,
      redisCommandTimeoutMs: options.redisCommandTimeoutMs,
    });
    const address = await gateway.listen(0, '127.0.0.1');
    gateways.push(gateway);
    logs.push(log);
    urls.push(`http://127.0.0.1:${address.port}`);
    return gateway;
  }
  await addGateway();

  return {
    sim,
    tokens,
    gateways,
    logs,
    urls,
    addGateway,
    async gql(query, { variables, token = tokens.admin, gateway = 0 } = {}) {
      const response = await request(`${urls[gateway]}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.statusCode, body: (await response.body.json()) as GraphQLResult['body'] };
    },
    async close() {
      await Promise.all(gateways.map((g) => g.close(100)));
      await sim.close();
    },
  };
}

/**
 * Makes every cached read a miss, as if the cache were empty: bumps every broker scope of every simulated
 * deployment and drops the cached deployment list and single deployments.
 */
export async function forgetCachedReads(stack: Stack): Promise<void> {
  const { cache } = stack.gateways[0]!.services;
  const ids = stack.sim.deployments().map((deployment) => deployment.id);
  await Promise.all(
    ids.flatMap((id) => BROKER_DOMAINS.map((domain) => cache.invalidateScope(brokerCacheScope(id, domain)))),
  );
  await cache.invalidate('deployments:list', ...ids.map((id) => `deployments:one:${id}`));
}
