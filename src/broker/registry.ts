import type { BrokerConfig, GatewayConfig } from '../config.ts';
import type { HttpClient } from '../http/client.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Breakers } from '../resilience/breakers.ts';
import type { ReadThroughCache } from '../store/read-through.ts';
import type { BrokerApi } from './api.ts';
import { dryRunTransport } from './dry-run.ts';
import { brokerApiFor } from './factory.ts';
import { createSemaphore, type Semaphore } from './semaphore.ts';
import { createBrokerTransport } from './transport.ts';

/**
 * One long-lived BrokerApi per configured deployment, built on first use: its adapter (picked once from
 * the API address), its concurrency cap and its cached transport. Per-request state (loaders) lives in
 * src/broker/request.ts, never here.
 */
export interface BrokerRegistry {
  /** The deployment's broker API, or null when this gateway has no broker configured for it. */
  api(deploymentId: string): BrokerApi | null;
  /** The same API for dry runs: reads as usual, writes withheld (dry-run.ts). */
  dryRunApi(deploymentId: string): BrokerApi | null;
  /** Remembers, per deployment, until when a whole-table subscription scan is known not to fit one page. */
  scanTooBigUntil: Map<string, number>;
}

export interface BrokerRegistryOptions {
  config: Pick<GatewayConfig, 'deployments' | 'cache' | 'upstream'>;
  http: HttpClient;
  cache: ReadThroughCache;
  scrub: (text: string) => string;
  logger: Logger;
  breakers: Breakers;
  metrics?: Metrics;
}

export function createBrokerRegistry(options: BrokerRegistryOptions): BrokerRegistry {
  const { config } = options;
  const apis = new Map<string, BrokerApi>();
  const dryRunApis = new Map<string, BrokerApi>();
  const slotsOf = new Map<string, Semaphore>();

  function build(deploymentId: string, dryRun: boolean): BrokerApi {
    const broker = config.deployments[deploymentId] as BrokerConfig;
    let slots = slotsOf.get(deploymentId);
    if (!slots) {
      // A slot is waited for at most one call's budget, so queueing never doubles a query's worst case.
      slots = createSemaphore(config.upstream.brokerConcurrency, config.upstream.timeoutMs);
      slotsOf.set(deploymentId, slots);
    }
    const shared = slots;
    return brokerApiFor({
      deploymentId,
      config: broker,
      http: options.http,
      scrub: options.scrub,
      logger: options.logger,
      publishClientId: config.upstream.publishClientId,
      transport: (call) => {
        const transport = createBrokerTransport({
          deploymentId,
          call,
          cache: options.cache,
          slots: shared,
          breaker: options.breakers.of(deploymentId),
          ttlMs: config.cache.brokerTtlSeconds * 1000,
          staleTtlMs: config.cache.brokerStaleTtlSeconds * 1000,
          ...(options.metrics ? { metrics: options.metrics } : {}),
        });
        return dryRun ? dryRunTransport(transport) : transport;
      },
    });
  }

  function cached(map: Map<string, BrokerApi>, deploymentId: string, dryRun: boolean) {
    if (!Object.hasOwn(config.deployments, deploymentId)) return null;
    let api = map.get(deploymentId);
    if (!api) {
      api = build(deploymentId, dryRun);
      map.set(deploymentId, api);
    }
    return api;
  }

  return {
    api: (deploymentId) => cached(apis, deploymentId, false),
    dryRunApi: (deploymentId) => cached(dryRunApis, deploymentId, true),
    scanTooBigUntil: new Map(),
  };
}
