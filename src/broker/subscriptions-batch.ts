import type { BrokerApi, Fetched, MqttSubscription } from './api.ts';
import type { BrokerRegistry } from './registry.ts';

/**
 * The subscriptions of many clients of one deployment with as few calls as EMQX allows. Neither version
 * reads several clients' subscriptions at once, but both list the whole subscription table: when it fits
 * in one page (`limits.subscriptionScanLimit`) one call answers every client; otherwise one call per client.
 * A table found too big is remembered for a minute so the scan is not retried on every request.
 */

/** Below this many clients, per-client calls cost no more than a scan. */
const SCAN_FROM_CLIENTS = 3;
const TOO_BIG_MEMORY_MS = 60_000;

export interface SubscriptionBatchOptions {
  api: BrokerApi;
  registry: BrokerRegistry;
  scanLimit: number;
}

async function perClient(
  api: BrokerApi,
  clientIds: readonly string[],
): Promise<Array<Fetched<MqttSubscription[]>>> {
  return Promise.all(
    clientIds.map(async (id) => {
      const found = await api.clientSubscriptions(id);
      return { value: found.value ?? [], freshness: found.freshness };
    }),
  );
}

async function scan(options: SubscriptionBatchOptions, clientIds: readonly string[]) {
  const { api, registry, scanLimit } = options;
  const page = await api.listSubscriptions({}, { page: 1, limit: scanLimit });
  if (page.hasNext) {
    registry.scanTooBigUntil.set(api.deploymentId, Date.now() + TOO_BIG_MEMORY_MS);
    return null;
  }
  const byClient = new Map<string, MqttSubscription[]>();
  for (const subscription of page.items) {
    const list = byClient.get(subscription.clientId) ?? [];
    list.push(subscription);
    byClient.set(subscription.clientId, list);
  }
  return clientIds.map((id) => ({ value: byClient.get(id) ?? [], freshness: page.freshness }));
}

export async function loadSubscriptions(
  options: SubscriptionBatchOptions,
  clientIds: readonly string[],
): Promise<Array<Fetched<MqttSubscription[]>>> {
  const tooBigUntil = options.registry.scanTooBigUntil.get(options.api.deploymentId) ?? 0;
  const scanWorth =
    clientIds.length >= SCAN_FROM_CLIENTS && options.scanLimit > 0 && Date.now() >= tooBigUntil;
  if (scanWorth) {
    const scanned = await scan(options, clientIds);
    if (scanned) return scanned;
  }
  return perClient(options.api, clientIds);
}
