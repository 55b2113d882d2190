import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { createApp } from './app.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { createJwtVerifier } from './auth/jwt.ts';
import { createBrokerRegistry } from './broker/registry.ts';
import { configSecrets, type GatewayConfig } from './config.ts';
import type { GraphiQLCustomization } from './graphiql/options.ts';
import { createHttpClient } from './http/client.ts';
import { createLiveHub } from './live/hub.ts';
import { createLogger, createSecretScrubber, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { collectQuotaGauge } from './observability.ts';
import { createDeploymentCatalog } from './platform/catalog.ts';
import { createPlatformApi } from './platform/client.ts';
import { createLifecycle } from './platform/lifecycle.ts';
import { createBreakers } from './resilience/breakers.ts';
import { createRateLimiter } from './security/use-rate-limit.ts';
import type { Services } from './services.ts';
import { createDrain } from './serving/drain.ts';
import { createHttpServer } from './serving/http-server.ts';
import { createProbes, managementHandler } from './serving/probes.ts';
import { readinessOf } from './serving/readiness.ts';
import { createLoadShedder } from './serving/shedding.ts';
import { createFailoverStore } from './store/failover.ts';
import { createIdempotency } from './store/idempotency.ts';
import { createMemoryStore } from './store/memory.ts';
import { createQuotaGuard } from './store/quotas.ts';
import { createReadThroughCache } from './store/read-through.ts';
import { createRedisStore } from './store/redis.ts';
import type { Store } from './store/store.ts';
import { tracedStore } from './telemetry/traced-store.ts';
import { attachWebSocket } from './websocket.ts';

/** Bumped whenever a cached value's shape changes, so replicas never read each other's old formats. */
export const KEY_PREFIX = 'emqxgw:v1:';

export interface GatewayOptions {
  /** Where log lines go. @default stdout */
  logDestination?: DestinationStream;
  /**
   * Redis command timeout; tests that run several gateways in one busy process raise it so that their own
   * event loop does not count as a slow Redis.
   * @default 500
   */
  redisCommandTimeoutMs?: number;
  /** GraphiQL changes: the demo's token and example tabs. */
  graphiql?: GraphiQLCustomization;
  /** OpenTelemetry is on (src/telemetry/tracing.ts): trace Redis commands and send `traceparent` upstream. */
  tracing?: boolean;
}

/** The store most state uses (Redis with a local fallback), and the fleet's shared store alone. */
function createStores(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions,
): { store: Store; shared: Store } {
  const memory = createMemoryStore();
  if (!config.redis) return { store: memory, shared: memory };
  const redis = createRedisStore({
    topology: config.redis,
    logger,
    ...(options.redisCommandTimeoutMs ? { commandTimeoutMs: options.redisCommandTimeoutMs } : {}),
  });
  const store = createFailoverStore({
    primary: redis,
    fallback: memory,
    maxReplicas: config.cache.maxReplicas,
    logger,
  });
  return { store, shared: redis };
}

/**
 * Gives Redis a moment to connect before taking traffic, so the first calls count against the fleet-wide
 * quota rather than this replica's fallback share. Starts anyway (degraded, /readyz 503) if it does not come.
 */
async function waitForStore(store: Store, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!store.isReady() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Wires one gateway process from its configuration. Nothing listens until `listen()`. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}) {
  const secrets = configSecrets(config);
  const pairs: Array<[string, string]> = [
    [config.platform.apiKey, config.platform.apiSecret],
    ...Object.values(config.deployments).map((b): [string, string] => [b.apiKey, b.apiSecret]),
  ];
  const scrub = createSecretScrubber(secrets, pairs);
  const logger = createLogger({ level: config.logLevel, scrub, destination: options.logDestination });
  const metrics = createMetrics();
  const stores = createStores(config, logger, options);
  // With tracing on (src/server.ts), every Redis command is a span; off, the stores are used as they are.
  const store = options.tracing ? tracedStore(stores.store) : stores.store;
  const shared = options.tracing ? tracedStore(stores.shared) : stores.shared;
  const http = createHttpClient({
    ...config.upstream,
    logger,
    metrics,
    propagateTraceContext: Boolean(options.tracing) && config.tracing.propagateToUpstream,
  });
  const quotas = createQuotaGuard({
    store,
    quotas: config.platform.quotas,
    keyPrefix: KEY_PREFIX,
    failClosed: new Set(['startDeployment', 'stopDeployment', 'createDeployment']),
    logger,
  });
  collectQuotaGauge(metrics, quotas);
  const cache = createReadThroughCache({ store, keyPrefix: KEY_PREFIX, logger });
  const breakers = createBreakers({ settings: config.upstream.breaker, logger, metrics });
  const platform = createPlatformApi({
    config: config.platform,
    http,
    quotas,
    logger,
    breaker: breakers.of('platform'),
  });
  const catalog = createDeploymentCatalog({ platform, cache, config, logger, metrics });
  const lifecycle = createLifecycle({ platform, catalog, quotas });
  const brokers = createBrokerRegistry({ config, http, cache, scrub, logger, metrics, breakers });
  const live = createLiveHub({ config, logger, metrics, catalog });
  const idempotency = createIdempotency({
    store: shared,
    keyPrefix: KEY_PREFIX,
    ttlMs: config.security.idempotencyTtlSeconds * 1000,
    // A broker write waits for a concurrency slot and then its call, each bounded by the upstream timeout.
    pendingMs: 2 * config.upstream.timeoutMs + 1_000,
    logger,
  });
  const services: Services = {
    config,
    logger,
    metrics,
    store,
    http,
    cache,
    quotas,
    platform,
    catalog,
    lifecycle,
    brokers,
    breakers,
    live,
    idempotency,
    scrub,
  };

  let started = false;
  const shedder = createLoadShedder(config.server);
  const readiness = () =>
    readinessOf({
      started: () => started,
      draining: () => serverDrain.draining,
      store,
      breakers,
      eventLoopDelayMs: () => shedder.eventLoopDelayMs,
    });
  metrics.setDegradationSource(() => readiness().degraded);
  const authenticate = createAuthenticator(config.auth, {
    verifyJwt:
      config.auth.mode === 'tokens' && config.auth.jwt
        ? createJwtVerifier(config.auth.jwt, { logger })
        : undefined,
  });
  const probes = createProbes({ readiness, metrics });
  const managementPort = config.server.managementPort;
  // With a management port, probes and metrics live there only and the public port serves GraphQL alone.
  const management = managementPort === undefined ? null : createServer(managementHandler(probes));
  const app = createApp({
    services,
    authenticate,
    ...(management ? {} : { probes }),
    shedder,
    keyPrefix: KEY_PREFIX,
    ...(options.graphiql ? { graphiql: options.graphiql } : {}),
  });
  const server: Server = createHttpServer(
    config.server,
    (req, res) => {
      serverDrain.track(req, res);
      return app.handle(req, res);
    },
    logger,
  );
  const serverDrain = createDrain(server);
  const websocket = attachWebSocket({
    server,
    yoga: app.yoga,
    authenticate,
    allowedOrigins: config.security.cors.origins,
    maxMessageBytes: config.security.maxBodyBytes,
    rateLimit: {
      take: createRateLimiter({ ...config.security.rateLimit, store, keyPrefix: KEY_PREFIX, logger }),
      ...config.security.rateLimit,
    },
    logger,
  });

  /** The management listener closes last: /readyz keeps answering 503 to the kubelet through the drain. */
  const closeManagement = () =>
    new Promise<void>((resolve) => {
      if (!management?.listening) return resolve();
      management.closeAllConnections();
      management.close(() => resolve());
    });

  /** Stops taking traffic (readyz 503 at once), drains, flushes the log (audit lines), releases everything. */
  async function close(options: { delayMs: number; timeoutMs: number }): Promise<void> {
    const started = performance.now();
    // Open streams would hold their connections for the whole drain: they end now, with an error event.
    await Promise.all([live.close(), websocket.close()]);
    const { cut } = await serverDrain.drain(options);
    if (cut > 0) logger.warn({ cut }, 'drain timeout: in-flight requests cut off');
    shedder.close();
    await Promise.allSettled([http.close(), store.close(), closeManagement()]);
    logger.info({ ms: Math.round(performance.now() - started), cut }, 'drained');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }

  return {
    services,
    app,
    server,
    logger,
    /** Listens on the configured (or given) port; resolves with the bound address. */
    async listen(port = config.port, host = config.host): Promise<AddressInfo> {
      await waitForStore(store, 5_000);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      if (management && managementPort !== undefined) {
        await new Promise<void>((resolve, reject) => {
          management.once('error', reject);
          management.listen(managementPort, host, () => resolve());
        });
      }
      started = true;
      return server.address() as AddressInfo;
    },
    /** Where the probes and metrics listen when `server.managementPort` is set, else null. */
    managementAddress: (): AddressInfo | null => (management?.address() as AddressInfo | null) ?? null,
    /** Closes at once (tests, demo): in-flight requests get `drainMs` to finish. */
    close: (drainMs = 10_000) => close({ delayMs: 0, timeoutMs: drainMs }),
    /**
     * SIGTERM: /readyz 503 at once while the listener stays open for `server.shutdownDelayMs` (answers carry
     * Connection: close), then in-flight requests get `server.drainTimeoutMs`.
     */
    shutdown: () =>
      close({ delayMs: config.server.shutdownDelayMs, timeoutMs: config.server.drainTimeoutMs }),
  };
}

export type Gateway = ReturnType<typeof createGateway>;
