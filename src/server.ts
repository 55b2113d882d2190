import { ConfigError, loadConfig } from './config.ts';
import { createGateway, KEY_PREFIX } from './gateway.ts';
import { checkRedis, type RedisCheck } from './store/preflight.ts';
import { startTracing } from './telemetry/tracing.ts';
import { version } from './version.ts';

/** The only entry that listens: load config → gateway → listen; SIGTERM/SIGINT drain and exit 0. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`emqx-cloud-gateway refuses to start.\n${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const redis: RedisCheck = config.redis
    ? await checkRedis(config.redis, { keyPrefix: KEY_PREFIX, timeoutMs: 3_000 })
    : { outcome: 'ok' };
  if (redis.outcome === 'refused') {
    console.error(`emqx-cloud-gateway refuses to start.\n  ${redis.reason}`);
    process.exit(78);
  }
  const tracing = startTracing(process.env, version);
  const gateway = createGateway(config, { tracing: tracing.enabled });
  if (redis.outcome === 'unreachable') {
    gateway.logger.warn(
      { reason: redis.reason },
      'Redis unreachable at start-up: starting degraded (each read quota at 1/cache.maxReplicas, lifecycle writes refused) until it answers',
    );
  }
  const address = await gateway.listen();
  const management = gateway.managementAddress();
  gateway.logger.info(
    { host: address.address, port: address.port, ...(management ? { managementPort: management.port } : {}) },
    management
      ? 'gateway listening; GraphiQL at /graphql, probes and metrics on the management port'
      : 'gateway listening; GraphiQL at /graphql',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, 'draining');
    await gateway.shutdown();
    // The last spans (the drain's requests) go out before exit.
    await tracing.shutdown().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
