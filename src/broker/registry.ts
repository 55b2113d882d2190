import type { GatewayConfig } from '../config.ts';
import type { HttpClient } from '../http/client.ts';
import type { Metrics } from '../metrics.ts';
import type { Breakers } from '../resilience/breakers.ts';
import type { ReadThroughCache } from '../store/read-through.ts';
import type { BrokerApi } from './api.ts';
import { brokerApiFor } from './factory.ts';
import { createSemaphore } from './semaphore.ts';
import { createBrokerTransport } from './transport.ts';

/**
 * One long-lived BrokerApi per configured deployment, built on first use: its adapter (picked once from
 * the API address), its concurrency cap and its cached transport. Per-request state (loaders) lives in
 * src/broker/request.ts, never here.
 */
export interface BrokerRegistry {
  /** The deployment's broker API, or null when this gateway has no broker configured for it. */
  api(deploymentId: string): BrokerApi | null;
  /** Remembers, per deployment, until when a whole-table subscription scan is known not to fit one page. */
  scanTooBigUntil: Map<string, number>;
}

export interface BrokerRegistryOptions {
  config: Pick<GatewayConfig, 'deployments' | 'cache' | 'upstream'>;
  http: HttpClient;
  cache: ReadThroughCache;
  scrub: (text: string) => string;
  breakers: Breakers;
  metrics?: Metrics;
}

export function createBrokerRegistry(options: BrokerRegistryOptions): BrokerRegistry {
  const { config } = options;
  const apis = new Map<string, BrokerApi>();

  function build(deploymentId: string): BrokerApi | null {
    const broker = config.deployments[deploymentId];
    if (!broker) return null;
    // A slot is waited for at most one call's budget, so queueing never doubles a query's worst case.
    const slots = createSemaphore(config.upstream.brokerConcurrency, config.upstream.timeoutMs);
    return brokerApiFor({
      deploymentId,
      config: broker,
      http: options.http,
      scrub: options.scrub,
      publishClientId: config.upstream.publishClientId,
      transport: (call) =>
        createBrokerTransport({
          deploymentId,
          call,
          cache: options.cache,
          slots,
          breaker: options.breakers.of(deploymentId),
          ttlMs: config.cache.brokerTtlSeconds * 1000,
          staleTtlMs: config.cache.brokerStaleTtlSeconds * 1000,
          ...(options.metrics ? { metrics: options.metrics } : {}),
        }),
    });
  }

  return {
    api(deploymentId) {
      if (!Object.hasOwn(config.deployments, deploymentId)) return null;
      let api = apis.get(deploymentId);
      if (!api) {
        api = build(deploymentId) as BrokerApi;
        apis.set(deploymentId, api);
      }
      return api;
    },
    scanTooBigUntil: new Map(),
  };
}
