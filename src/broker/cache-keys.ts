import type { BrokerDomain } from './call.ts';

/**
 * The one cache key scheme for broker reads (inside the store's `emqxgw:v1:` namespace):
 *
 *   broker:<deploymentId>:<domain>:<path>?<query>
 *
 * A read is cached under its exact request, so two dashboards asking the same page share one entry.
 * After a write, drop every cached read of the domains it changes:
 *
 *   await services.cache.invalidatePrefix(brokerCacheKeyPrefix(deploymentId, 'clients'));
 *
 * e.g. a kick changes `clients` and `subscriptions`; subscribe/unsubscribe change `subscriptions` and
 * `clients` (subscription counts); rules → `rules`; bans → `bans`; retained delete → `retained`;
 * authn → `authn`; authz → `authz`; publish with retain → `retained`. `cluster` and `alarms` are never
 * invalidated, only expire.
 */
export function brokerCacheKeyPrefix(deploymentId: string, domain?: BrokerDomain): string {
  return domain ? `broker:${deploymentId}:${domain}:` : `broker:${deploymentId}:`;
}

export function brokerCacheKey(
  deploymentId: string,
  domain: BrokerDomain,
  path: string,
  query?: URLSearchParams,
): string {
  const search = query?.toString();
  return `${brokerCacheKeyPrefix(deploymentId, domain)}${path}${search ? `?${search}` : ''}`;
}
