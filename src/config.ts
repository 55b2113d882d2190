import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_PUBLISH_CLIENT_ID } from './broker/v4/options.ts';
import { securitySchema } from './security/config.ts';
import { loadManifest, ManifestError, type PersistedDocuments } from './security/persisted-documents.ts';
import { parseRedisTopology, type RedisTopology, RedisTopologyError } from './store/topology.ts';
import { unknownKeys } from './validation/unknown-keys.ts';

/**
 * The only reader of process.env. Parsed once at start-up and passed down; every setting is validated and a bad
 * one is named by its path (never by its value, which may be a secret).
 */

const quota = (limit: number) =>
  z
    .object({
      limit: z.number().int().min(0).describe('calls allowed in one window, fleet-wide'),
      windowSeconds: z.number().positive().describe('length of the sliding window in seconds'),
    })
    .default({ limit, windowSeconds: 3600 });

const platformSchema = z.object({
  apiUrl: z
    .url()
    .describe('base URL the platform paths are appended to, e.g. https://cloud-intl.emqx.com/public_api/v1'),
  apiKey: z.string().min(1).describe('platform API key'),
  apiSecret: z.string().min(1).describe('platform API secret'),
  /** Defaults from seed 000 (the newer platform page). */
  quotas: z
    .object({
      listDeployments: quota(60),
      getDeployment: quota(60),
      startDeployment: quota(5),
      stopDeployment: quota(5),
      createDeployment: quota(1),
    })
    .default({
      listDeployments: { limit: 60, windowSeconds: 3600 },
      getDeployment: { limit: 60, windowSeconds: 3600 },
      startDeployment: { limit: 5, windowSeconds: 3600 },
      stopDeployment: { limit: 5, windowSeconds: 3600 },
      createDeployment: { limit: 1, windowSeconds: 3600 },
    }),
});

/** A deployment's MQTT access for live data (CONTRACT §7): one shared connection per replica. */
const mqttSchema = z.strictObject({
  url: z
    .string()
    .regex(/^mqtts?:\/\/[^/\s]+$/, 'must be mqtt://host:port or mqtts://host:port')
    .describe("the deployment's MQTT address; mqtts:// uses TLS"),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  protocolVersion: z
    .union([z.literal(4), z.literal(5)])
    .default(4)
    .describe('4 = MQTT 3.1.1, 5 = MQTT 5'),
});

const brokerSchema = z.object({
  apiUrl: z
    .url()
    .refine(
      (url) => /\/api\/v[45]\/?$/.test(url),
      'must end in /api/v4 or /api/v5, as the EMQX Cloud console shows it',
    )
    .describe("the deployment's broker API address"),
  apiKey: z.string().min(1).describe('App ID'),
  apiSecret: z.string().min(1).describe('App Secret'),
  mqtt: mqttSchema.optional(),
});

/** How the shared MQTT connections behind GraphQL subscriptions live and die (CONTRACT §7). */
const liveSchema = z
  .strictObject({
    idleCloseSeconds: z.number().min(0).default(30).describe('how long an unused MQTT connection stays open'),
    downGraceSeconds: z
      .number()
      .min(0)
      .default(30)
      .describe('how long streams wait for a lost MQTT connection to come back before they fail'),
  })
  .prefault({});

const roleSchema = z.enum(['viewer', 'operator', 'admin']);

const apiKeySchema = z.object({
  name: z.string().min(1).describe('caller name shown in logs and the audit trail'),
  key: z.string().min(16, 'must be at least 16 characters').describe('the bearer token'),
  role: roleSchema,
  projects: z.array(z.string().min(1)).min(1).default(['*']).describe('project names, or "*" for all'),
});

const jwtSchema = z
  .object({
    secret: z.string().min(32, 'must be at least 32 characters').optional().describe('HS256 secret'),
    jwksUrl: z.url().optional().describe('JWKS address for RS256/ES256 keys'),
    issuer: z.string().min(1),
    audience: z.string().min(1),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .refine((jwt) => jwt.secret || jwt.jwksUrl, 'needs secret or jwksUrl');

const authSchema = z.union([
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('tokens').default('tokens'),
    apiKeys: z.array(apiKeySchema).default([]),
    jwt: jwtSchema.optional(),
  }),
]);

export const configFileSchema = z.object({
  platform: platformSchema,
  deployments: z
    .record(
      z.string().regex(/^[a-z0-9]{4,32}$/, 'deployment IDs are lowercase letters and digits'),
      brokerSchema,
    )
    .default({}),
  cache: z
    .object({
      deploymentsTtlSeconds: z.number().positive().default(60),
      brokerTtlSeconds: z.number().positive().default(5),
      /** How long an expired entry may still be served when the upstream fails or is rate-limited. */
      staleTtlSeconds: z.number().positive().default(86_400),
      /**
       * How long an expired broker read may be served as STALE when its deployment fails. 0 (the default)
       * never serves stale broker data: a failing deployment answers its error.
       */
      brokerStaleTtlSeconds: z.number().min(0).default(0),
      /**
       * The most replicas the fleet runs. While Redis is unreachable each replica spends at most
       * 1/maxReplicas of a platform read quota on its own, so the fleet stays within EMQX's quota.
       */
      maxReplicas: z.number().int().positive().default(4),
    })
    .default({
      deploymentsTtlSeconds: 60,
      brokerTtlSeconds: 5,
      staleTtlSeconds: 86_400,
      brokerStaleTtlSeconds: 0,
      maxReplicas: 4,
    }),
  upstream: z
    .object({
      connectTimeoutMs: z.number().int().positive().default(3_000),
      /** Whole-call budget for one upstream request (headers and body). */
      timeoutMs: z.number().int().positive().default(8_000),
      /** Concurrent calls to one deployment's broker API from one replica. */
      brokerConcurrency: z.number().int().positive().default(8),
      /** Per upstream and replica: this many failures in a row stop calls to it for `openSeconds`, then one probe. */
      breaker: z
        .object({
          failures: z.number().int().positive().default(5),
          openSeconds: z.number().positive().default(10),
        })
        .default({ failures: 5, openSeconds: 10 }),
      /** `clientid` of every v4 publish, which seed 003 marks required (CONTRACT.md §5). */
      publishClientId: z.string().min(1).max(256).default(DEFAULT_PUBLISH_CLIENT_ID),
    })
    .default({
      connectTimeoutMs: 3_000,
      timeoutMs: 8_000,
      brokerConcurrency: 8,
      breaker: { failures: 5, openSeconds: 10 },
      publishClientId: DEFAULT_PUBLISH_CLIENT_ID,
    }),
  limits: z
    .object({
      /** Largest message a publish mutation accepts (decoded bytes for base64). */
      maxPayloadBytes: z
        .number()
        .int()
        .positive()
        .default(262_144)
        .describe('largest publish payload in bytes, after base64 decoding; default 256 KiB'),
      /** EMQX times out on very deep pages: connections refuse `after` + `first` beyond this many items. */
      maxPageDepth: z.number().int().positive().default(10_000),
      /**
       * MqttClient.subscriptions for many clients reads the deployment's whole subscription table in one
       * page of this size when it fits (else one call per client).
       */
      subscriptionScanLimit: z.number().int().min(0).default(1_000),
      maxStreamsPerCaller: z.number().int().min(1).default(10).describe('open subscriptions per caller'),
      maxStreams: z.number().int().min(1).default(1000).describe('open subscriptions on one replica'),
      streamBufferSize: z
        .number()
        .int()
        .min(1)
        .default(100)
        .describe('messages held for a subscription that is not read; beyond it the oldest are dropped'),
    })
    .prefault({}),
  live: liveSchema,
  auth: authSchema,
  security: securitySchema,
  /** OpenTelemetry (on when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set). */
  tracing: z
    .object({
      /** Continue a caller's trace from its W3C `traceparent` header; false: every operation starts a trace. */
      acceptTraceparent: z.boolean().default(true),
      /** Send `traceparent` on calls to EMQX (platform and brokers), so their side can join the trace. */
      propagateToUpstream: z.boolean().default(true),
    })
    .prefault({}),
  server: z
    .object({
      /** A client that has not sent its whole header block by then is cut off (header slowloris). */
      headersTimeoutMs: z.number().int().positive().default(10_000),
      /** A client that has not sent its whole request by then is cut off (body slowloris). */
      requestTimeoutMs: z.number().int().positive().default(30_000),
      /** Idle keep-alive connections are kept longer than load balancers keep theirs (60 s on most). */
      keepAliveTimeoutMs: z.number().int().positive().default(65_000),
      maxHeadersCount: z.number().int().positive().default(100),
      /** Requests in progress on this replica above which new ones are shed with 503 at once. */
      maxInFlight: z.number().int().positive().default(256),
      /** Event-loop delay above which new requests are shed with 503 at once. */
      maxEventLoopDelayMs: z.number().int().positive().default(500),
      /** After SIGTERM: how long the listener stays open (readyz 503) so load balancers can move away. */
      shutdownDelayMs: z.number().int().min(0).default(5_000),
      /** After the delay: how long in-flight requests get to finish before their connections are cut. */
      drainTimeoutMs: z.number().int().min(0).default(20_000),
      /**
       * A second port for /healthz, /readyz and /metrics (0: any free port); when set, the public port serves
       * GraphQL only. Unset: the probes share the public port.
       */
      managementPort: z.number().int().min(0).max(65_535).optional(),
    })
    .prefault({}),
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  GATEWAY_CONFIG_FILE: z.string().min(1, 'is required'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Role = z.infer<typeof roleSchema>;
export type FileConfig = z.infer<typeof configFileSchema>;
export type PlatformConfig = FileConfig['platform'];
export type QuotaEndpoint = keyof PlatformConfig['quotas'];
export type BrokerConfig = z.infer<typeof brokerSchema>;
export type MqttConfig = z.infer<typeof mqttSchema>;
export type LiveConfig = z.infer<typeof liveSchema>;
export type AuthConfig = FileConfig['auth'];
export type ServerConfig = FileConfig['server'];

export interface GatewayConfig extends FileConfig {
  port: number;
  host: string;
  /** The shared Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS); undefined: memory, one replica. */
  redis: RedisTopology | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** The trusted documents of security.persistedOperations.manifest, read at start; undefined without one. */
  persistedDocuments?: PersistedDocuments | undefined;
}

export class ConfigError extends Error {}

const formatIssues = (prefix: string, error: z.ZodError) =>
  error.issues
    .map((issue) => `  ${[prefix, ...issue.path].filter((p) => p !== '').join('.')}: ${issue.message}`)
    .join('\n');

/** Replaces `${NAME}` in every string of the parsed JSON with the environment variable NAME. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: string[], missing: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) missing.push(`  ${path.join('.')}: environment variable ${name} is not set`);
      return found ?? '';
    });
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolate(item, env, [...path, String(i)], missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], missing)]),
    );
  }
  return value;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

function redisOf(env: NodeJS.ProcessEnv): RedisTopology | undefined {
  try {
    return parseRedisTopology(env);
  } catch (error) {
    if (error instanceof RedisTopologyError)
      throw new ConfigError(`Invalid environment:\n  ${error.message}`);
    throw error;
  }
}

/** Validates the already-read JSON document together with the environment. */
export function parseConfig(document: unknown, env: NodeJS.ProcessEnv): GatewayConfig {
  const envResult = envSchema.safeParse(env);
  if (!envResult.success) throw new ConfigError(`Invalid environment:\n${formatIssues('', envResult.error)}`);
  const missing: string[] = [];
  const interpolated = interpolate(document, env, [], missing);
  if (missing.length > 0) throw new ConfigError(`Invalid configuration file:\n${missing.join('\n')}`);
  const fileResult = configFileSchema.safeParse(interpolated);
  if (!fileResult.success)
    throw new ConfigError(`Invalid configuration file:\n${formatIssues('', fileResult.error)}`);
  const unknown = unknownKeys(configFileSchema, interpolated);
  if (unknown.length > 0) {
    const lines = unknown.map(
      (k) => `  ${k.path}: unknown setting${k.didYouMean ? ` (did you mean ${k.didYouMean}?)` : ''}`,
    );
    throw new ConfigError(`Invalid configuration file:\n${lines.join('\n')}`);
  }
  const { PORT, HOST, LOG_LEVEL } = envResult.data;
  if (fileResult.data.auth.mode === 'none' && !isLoopback(HOST)) {
    throw new ConfigError(
      `Invalid configuration file:\n  auth.mode: "none" is only allowed when HOST is a loopback address`,
    );
  }
  const manifest = fileResult.data.security.persistedOperations.manifest;
  let persistedDocuments: PersistedDocuments | undefined;
  try {
    persistedDocuments = manifest === undefined ? undefined : loadManifest(manifest);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new ConfigError(
      `Invalid configuration file:\n  security.persistedOperations.manifest: ${error.message}`,
    );
  }
  return {
    ...fileResult.data,
    port: PORT,
    host: HOST,
    redis: redisOf(env),
    logLevel: LOG_LEVEL,
    persistedDocuments,
  };
}

/** Reads GATEWAY_CONFIG_FILE and the environment; throws ConfigError with a readable list of bad settings. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const file = env.GATEWAY_CONFIG_FILE;
  if (!file) throw new ConfigError('Invalid environment:\n  GATEWAY_CONFIG_FILE: is required');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Cannot read GATEWAY_CONFIG_FILE (${file}): ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ConfigError(`GATEWAY_CONFIG_FILE (${file}) is not valid JSON`);
  }
  return parseConfig(document, env);
}

/** Every secret value in the configuration, for scrubbing text that might echo one back. */
export function configSecrets(config: FileConfig & { redis?: RedisTopology | undefined }): string[] {
  const secrets = [config.platform.apiKey, config.platform.apiSecret];
  if (config.redis?.password) secrets.push(config.redis.password);
  for (const broker of Object.values(config.deployments)) {
    secrets.push(broker.apiKey, broker.apiSecret);
    if (broker.mqtt?.password) secrets.push(broker.mqtt.password);
  }
  if (config.auth.mode !== 'none') {
    for (const key of config.auth.apiKeys) secrets.push(key.key);
    if (config.auth.jwt?.secret) secrets.push(config.auth.jwt.secret);
  }
  return secrets.filter((secret) => secret.length >= 4);
}
