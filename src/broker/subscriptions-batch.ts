import type { BrokerApi, Fetched, MqttSubscription, Page } from './api.ts';
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

/** Whether a scan of the table is worth trying for this deployment now (not found too big lately). */
export function scanAllowed(options: SubscriptionBatchOptions): boolean {
  const tooBigUntil = options.registry.scanTooBigUntil.get(options.api.deploymentId) ?? 0;
  return options.scanLimit > 0 && Date.now() >= tooBigUntil;
}

/** The first page of the subscription table, as big as a scan reads it. */
export function scanPage(options: SubscriptionBatchOptions): Promise<Page<MqttSubscription>> {
  return options.api.listSubscriptions({}, { page: 1, limit: options.scanLimit });
}

async function scan(
  options: SubscriptionBatchOptions,
  clientIds: readonly string[],
  prefetched?: Promise<Page<MqttSubscription>>,
) {
  const { api, registry } = options;
  const page = await (prefetched ?? scanPage(options));
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

/**
 * `prefetched`: the scan, started with the page of clients these subscriptions belong to (so a cold dashboard
 * waits one upstream delay, not two); already paid for, it is used however few clients there are.
 */
export async function loadSubscriptions(
  options: SubscriptionBatchOptions,
  clientIds: readonly string[],
  prefetched?: Promise<Page<MqttSubscription>>,
): Promise<Array<Fetched<MqttSubscription[]>>> {
  if (prefetched || (clientIds.length >= SCAN_FROM_CLIENTS && scanAllowed(options))) {
    const scanned = await scan(options, clientIds, prefetched).catch((error: unknown) => {
      // A failed prefetch is retried per client, as a scan that found the table too big is.
      if (prefetched) return null;
      throw error;
    });
    if (scanned) return scanned;
  }
  return perClient(options.api, clientIds);
}
