import { z } from 'zod';
import type { FileConfig } from '../config.ts';
import { RateLimitedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ReadThroughCache } from '../store/read-through.ts';
import { type PlatformApi, type PlatformDeployment, platformDeploymentSchema } from './client.ts';
import type { Deployment, Freshness } from './model.ts';

/**
 * The fleet's view of its deployments: the platform list, cached fleet-wide and refreshed
 * stale-while-revalidate; changes the gateway makes are written into it at once.
 */

const LIST_KEY = 'deployments:list';
const oneKey = (id: string) => `deployments:one:${id}`;

const listSchema = z.array(platformDeploymentSchema);
const oneSchema = platformDeploymentSchema.nullable();

export interface DeploymentCatalogOptions {
  platform: PlatformApi;
  cache: ReadThroughCache;
  config: Pick<FileConfig, 'cache'>;
  logger: Logger;
  metrics?: Metrics;
  now?: () => number;
}

export type DeploymentCatalog = ReturnType<typeof createDeploymentCatalog>;

export function createDeploymentCatalog({
  platform,
  cache,
  config,
  logger,
  metrics,
  now = Date.now,
}: DeploymentCatalogOptions) {
  const ttlMs = config.cache.deploymentsTtlSeconds * 1000;
  const staleTtlMs = Math.max(config.cache.staleTtlSeconds * 1000, ttlMs);

  const withFreshness = (d: PlatformDeployment, freshness: Freshness): Deployment => ({ ...d, freshness });
  const observers = new Set<(deployments: Deployment[]) => void>();
  const show = (deployments: Deployment[]) => {
    for (const observer of observers) observer(deployments);
    return deployments;
  };

  /**
   * Every deployment of the account, as recent as the quota allows. `fresh` waits for the refresh of an
   * expired list instead of answering the stale one at once (still stale when the platform cannot answer).
   */
  async function list(requestId?: string, { fresh = false } = {}): Promise<Deployment[]> {
    const read = await cache.read(LIST_KEY, {
      ttlMs,
      staleTtlMs,
      schema: listSchema,
      fetch: () => platform.listDeployments(requestId),
      refreshInBackground: !fresh,
    });
    metrics?.cacheReads.inc({ kind: 'deployments', source: read.source });
    const freshness = { source: read.source, fetchedAt: read.fetchedAt };
    return show(read.value.map((d) => withFreshness(d, freshness)));
  }

  /**
   * One deployment, from the cached list. `GET /deployments/{id}` is used only when the list cannot be had
   * (its quota is spent and nothing is cached), within its own quota and cache.
   */
  async function get(
    deploymentId: string,
    requestId?: string,
    options: { fresh?: boolean } = {},
  ): Promise<Deployment | null> {
    let deployments: Deployment[];
    try {
      deployments = await list(requestId, options);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return getOne(deploymentId, requestId);
    }
    return deployments.find((d) => d.deploymentId === deploymentId) ?? null;
  }

  async function getOne(deploymentId: string, requestId?: string): Promise<Deployment | null> {
    const read = await cache.read(oneKey(deploymentId), {
      ttlMs,
      staleTtlMs,
      schema: oneSchema,
      fetch: () => platform.getDeployment(deploymentId, requestId),
    });
    metrics?.cacheReads.inc({ kind: 'deployment', source: read.source });
    return read.value ? withFreshness(read.value, { source: read.source, fetchedAt: read.fetchedAt }) : null;
  }

  /**
   * Puts a change the gateway just made (start, stop, create) into the cached list at once, so every replica
   * shows it. The entry keeps its fetch time: the next refresh from the platform replaces it as usual.
   */
  async function record(deployment: PlatformDeployment): Promise<Deployment> {
    const cached = await cache.peek(LIST_KEY, listSchema).catch(() => null);
    if (cached) {
      const known = cached.value.some((d) => d.deploymentId === deployment.deploymentId);
      const next = known
        ? cached.value.map((d) => (d.deploymentId === deployment.deploymentId ? deployment : d))
        : [...cached.value, deployment];
      await cache
        .write(LIST_KEY, next, { ttlMs, staleTtlMs, fetchedAt: cached.fetchedAt })
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'cannot record a deployment change in the cache'),
        );
    }
    return show([withFreshness(deployment, { source: 'UPSTREAM', fetchedAt: now() })])[0]!;
  }

  /**
   * Tells `observer` every view of deployments this replica reads or records (live status changes are
   * derived from them, so they cost no platform call of their own). Returns the function that stops it.
   */
  function observe(observer: (deployments: Deployment[]) => void): () => void {
    observers.add(observer);
    return () => observers.delete(observer);
  }

  return { list, get, record, observe };
}
