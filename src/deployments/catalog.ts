import { z } from 'zod';
import type { ReadThroughCache } from '../cache/read-through.ts';
import type { FileConfig } from '../config.ts';
import { RateLimitedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { type PlatformApi, type PlatformDeployment, platformDeploymentSchema } from '../upstream/platform.ts';
import type { Deployment, Freshness } from './model.ts';

/**
 * The fleet's view of its deployments: the platform list, cached fleet-wide and refreshed
 * stale-while-revalidate, with lifecycle changes laid over it until the platform reports something newer.
 */

const LIST_KEY = 'deployments:list';
const OVERRIDES_KEY = 'deployments:overrides';
const oneKey = (id: string) => `deployments:one:${id}`;

/** A change the gateway made (start, stop, create) that the cached list may not show yet. */
const overrideSchema = z.record(
  z.string(),
  z.object({ deployment: platformDeploymentSchema, at: z.number() }),
);
type Overrides = z.infer<typeof overrideSchema>;
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

  async function overrides(): Promise<Overrides> {
    try {
      const read = await cache.read(OVERRIDES_KEY, {
        ttlMs: staleTtlMs,
        staleTtlMs,
        schema: overrideSchema,
        fetch: async () => ({}),
        refreshInBackground: false,
      });
      return read.value;
    } catch (error) {
      logger.warn({ err: error }, 'cannot read deployment overrides');
      return {};
    }
  }

  function apply(list: PlatformDeployment[], fetchedAt: number, changes: Overrides): PlatformDeployment[] {
    const newer = Object.values(changes).filter((change) => change.at > fetchedAt);
    if (newer.length === 0) return list;
    const byId = new Map(list.map((d) => [d.deploymentId, d]));
    for (const change of newer) byId.set(change.deployment.deploymentId, change.deployment);
    return [...byId.values()];
  }

  const withFreshness = (d: PlatformDeployment, freshness: Freshness): Deployment => ({ ...d, freshness });

  /** Every deployment of the account, as recent as the quota allows. */
  async function list(requestId?: string): Promise<Deployment[]> {
    const read = await cache.read(LIST_KEY, {
      ttlMs,
      staleTtlMs,
      schema: listSchema,
      fetch: () => platform.listDeployments(requestId),
    });
    metrics?.cacheReads.inc({ kind: 'deployments', source: read.source });
    const freshness = { source: read.source, fetchedAt: read.fetchedAt };
    const merged = apply(read.value, read.fetchedAt, await overrides());
    return merged.map((d) => withFreshness(d, freshness));
  }

  /**
   * One deployment, from the cached list. `GET /deployments/{id}` is used only when the list cannot be had
   * (its quota is spent and nothing is cached), within its own quota and cache.
   */
  async function get(deploymentId: string, requestId?: string): Promise<Deployment | null> {
    let deployments: Deployment[];
    try {
      deployments = await list(requestId);
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

  /** Records a change the gateway just made so every replica shows it at once. */
  async function record(deployment: PlatformDeployment): Promise<Deployment> {
    const changes = await overrides();
    const at = now();
    changes[deployment.deploymentId] = { deployment, at };
    for (const [id, change] of Object.entries(changes)) if (at - change.at > staleTtlMs) delete changes[id];
    await cache.write(OVERRIDES_KEY, changes, { ttlMs: staleTtlMs, staleTtlMs });
    return withFreshness(deployment, { source: 'UPSTREAM', fetchedAt: at });
  }

  return { list, get, record };
}
