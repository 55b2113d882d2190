import DataLoader from 'dataloader';
import { assertCallerPresent, type GatewayContext } from '../context.ts';
import { BrokerNotConfiguredError, DeploymentNotRunningError } from '../errors.ts';
import { type Deployment, deploymentStatus, deploymentType } from '../platform/model.ts';
import type { BrokerApi, Fetched, MqttClient, MqttSubscription, Page } from './api.ts';
import { serverlessView } from './serverless.ts';
import {
  loadSubscriptions,
  type SubscriptionBatchOptions,
  scanAllowed,
  scanPage,
} from './subscriptions-batch.ts';

/**
 * Per-request access to a deployment's broker: the guard (configured? running?) and the request's
 * DataLoaders. Loaders live for one request and one deployment, so they never mix callers or brokers;
 * all `client(clientId:)` and cross-type lookups of a request are batched into one read per deployment.
 */

export interface DeploymentBroker {
  api: BrokerApi;
  /** Client by ID, null when EMQX does not know it. */
  clients: DataLoader<string, Fetched<MqttClient | null>>;
  /** A client's subscriptions ([] for an unknown client). */
  subscriptions: DataLoader<string, Fetched<MqttSubscription[]>>;
  /**
   * Starts reading the deployment's subscription table now, alongside a page of clients whose subscriptions
   * the query asks for; the `subscriptions` loader then answers from it. Once per request and deployment.
   */
  prefetchSubscriptions(): void;
}

const perRequest = new WeakMap<GatewayContext, Map<string, DeploymentBroker>>();

/**
 * Throws BROKER_NOT_CONFIGURED or DEPLOYMENT_NOT_RUNNING for this deployment only; a Serverless deployment
 * gets the restricted view of its API. A dry run gets the API whose writes are withheld (dry-run.ts).
 */
export function guardedApi(
  context: GatewayContext,
  deployment: Deployment,
  options: { dryRun?: boolean } = {},
): BrokerApi {
  assertCallerPresent(context);
  const { brokers } = context.services;
  const api = (options.dryRun ? brokers.dryRunApi : brokers.api)(deployment.deploymentId);
  if (!api) throw new BrokerNotConfiguredError(deployment.deploymentId);
  const status = deploymentStatus(deployment.status);
  if (status !== 'RUNNING') throw new DeploymentNotRunningError(deployment.deploymentId, status);
  return deploymentType(deployment.type) === 'SERVERLESS' ? serverlessView(api) : api;
}

function createDeploymentBroker(context: GatewayContext, api: BrokerApi): DeploymentBroker {
  const { brokers, config } = context.services;
  const batch: SubscriptionBatchOptions = {
    api,
    registry: brokers,
    scanLimit: config.limits.subscriptionScanLimit,
  };
  let prefetched: Promise<Page<MqttSubscription>> | undefined;
  return {
    api,
    clients: new DataLoader((ids) => api.getClients(ids), { maxBatchSize: 500 }),
    subscriptions: new DataLoader((ids) => loadSubscriptions(batch, ids, prefetched), { maxBatchSize: 500 }),
    prefetchSubscriptions() {
      if (prefetched || !scanAllowed(batch)) return;
      prefetched = scanPage(batch);
      // Awaited (and its failure handled) by the loader; a page of no clients never asks.
      prefetched.catch(() => undefined);
    },
  };
}

/** The deployment's broker for this request; synchronous, so lookups of one tick share one batch. */
export function brokerOf(context: GatewayContext, deployment: Deployment): DeploymentBroker {
  const api = guardedApi(context, deployment);
  let forRequest = perRequest.get(context);
  if (!forRequest) {
    forRequest = new Map();
    perRequest.set(context, forRequest);
  }
  let broker = forRequest.get(deployment.deploymentId);
  if (!broker) {
    broker = createDeploymentBroker(context, api);
    forRequest.set(deployment.deploymentId, broker);
  }
  return broker;
}
