import type { BrokerConfig } from '../config.ts';
import type { HttpClient } from '../http/client.ts';
import type { Logger } from '../logger.ts';
import type { BrokerApi, BrokerTransport } from './api.ts';
import { brokerVersionOf } from './api.ts';
import { type BrokerCall, createBrokerCall } from './call.ts';
import type { BrokerVersion } from './model.ts';
import { createV4Broker } from './v4/index.ts';
import { createV5Broker } from './v5/index.ts';

/** A transport that only timestamps answers; src/broker/transport.ts wraps the call with concurrency and caching. */
export const directTransport = (call: BrokerCall): BrokerTransport => ({
  send: async (request) => ({
    ...(await call(request)),
    freshness: { source: 'UPSTREAM', fetchedAt: Date.now() },
  }),
});

export interface BrokerApiOptions {
  deploymentId: string;
  config: BrokerConfig;
  http: HttpClient;
  scrub: (text: string) => string;
  logger: Logger;
  /** `clientid` of v4 publishes (`upstream.publishClientId`). @default "emqx-cloud-gateway" */
  publishClientId?: string;
  /** Wraps the raw call (caching, concurrency cap). @default directTransport */
  transport?: (call: BrokerCall, version: BrokerVersion) => BrokerTransport;
}

/** Picks the v4 or v5 adapter once, from the configured API address. The schema never asks again. */
export function brokerApiFor(options: BrokerApiOptions): BrokerApi {
  const version = brokerVersionOf(options.config.apiUrl);
  const call = createBrokerCall({ ...options, version });
  const transport = (options.transport ?? directTransport)(call, version);
  return version === 'v4'
    ? createV4Broker(
        options.deploymentId,
        transport,
        options.publishClientId ? { publishClientId: options.publishClientId } : {},
      )
    : createV5Broker(options.deploymentId, transport);
}
