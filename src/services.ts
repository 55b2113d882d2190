import type { BrokerRegistry } from './broker/registry.ts';
import type { GatewayConfig } from './config.ts';
import type { HttpClient } from './http/client.ts';
import type { LiveHub } from './live/hub.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { DeploymentCatalog } from './platform/catalog.ts';
import type { PlatformApi } from './platform/client.ts';
import type { Lifecycle } from './platform/lifecycle.ts';
import type { Breakers } from './resilience/breakers.ts';
import type { Idempotency } from './store/idempotency.ts';
import type { QuotaGuard } from './store/quotas.ts';
import type { ReadThroughCache } from './store/read-through.ts';
import type { Store } from './store/store.ts';

/** The long-lived parts of one gateway process, shared by every request. */
export interface Services {
  config: GatewayConfig;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  http: HttpClient;
  cache: ReadThroughCache;
  quotas: QuotaGuard;
  platform: PlatformApi;
  catalog: DeploymentCatalog;
  lifecycle: Lifecycle;
  /** Each configured deployment's broker API (adapter, concurrency cap, cached reads). */
  brokers: BrokerRegistry;
  /** One circuit breaker per upstream of this replica. */
  breakers: Breakers;
  /** Shared MQTT links and open-stream accounting for GraphQL subscriptions. */
  live: LiveHub;
  /** First results of mutations sent with an idempotencyKey, fleet-wide. */
  idempotency: Idempotency;
  /** Scrubs every configured secret from a piece of text. */
  scrub: (text: string) => string;
}
