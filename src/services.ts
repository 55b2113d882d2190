import type { BrokerRegistry } from './brokers/registry.ts';
import type { QuotaGuard } from './cache/quotas.ts';
import type { ReadThroughCache } from './cache/read-through.ts';
import type { Store } from './cache/store.ts';
import type { GatewayConfig } from './config.ts';
import type { DeploymentCatalog } from './deployments/catalog.ts';
import type { Lifecycle } from './deployments/lifecycle.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { HttpClient } from './upstream/http.ts';
import type { PlatformApi } from './upstream/platform.ts';

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
  /** Scrubs every configured secret from a piece of text. */
  scrub: (text: string) => string;
}
