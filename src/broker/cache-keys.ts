import type { BrokerDomain } from './call.ts';

/**
 * The one cache key scheme for broker reads (inside the store's `emqxgw:v1:` namespace):
 *
 *   {broker:<deploymentId>:<domain>}<path>?<query>
 *
 * A read is cached under its exact request, so two dashboards asking the same page share one entry. The
 * part in braces is the key's scope: every read of one deployment's domain shares it, and with it one Redis
 * Cluster slot (it is the hash tag) and one version. After a write, bump the scopes of the domains it
 * changes, which makes every read cached under them a miss on every replica at once:
 *
 *   await services.cache.invalidateScope(brokerCacheScope(deploymentId, 'clients'));
 *
 * e.g. a kick changes `clients` and `subscriptions`; subscribe/unsubscribe change `subscriptions` and
 * `clients` (subscription counts); rules → `rules`; bans → `bans`; retained delete → `retained`;
 * authn → `authn`; authz → `authz`; publish with retain → `retained`. `cluster` and `alarms` are never
 * invalidated, only expire.
 */
export function brokerCacheScope(deploymentId: string, domain: BrokerDomain): string {
  return `broker:${deploymentId}:${domain}`;
}

export function brokerCacheKey(
  deploymentId: string,
  domain: BrokerDomain,
  path: string,
  query?: URLSearchParams,
): string {
  const search = query?.toString();
  return `{${brokerCacheScope(deploymentId, domain)}}${path}${search ? `?${search}` : ''}`;
}
