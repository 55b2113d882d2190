import type { Logger } from '../logger.ts';
import type { DeploymentCatalog } from '../platform/catalog.ts';
import { type Deployment, deploymentStatus } from '../platform/model.ts';

/**
 * Deployment status changes as this replica's catalog sees them: every list it reads (for any request, or the
 * watch's own refresh) and every change it records (start, stop, create, from this or, through the shared
 * cache, any replica). While someone listens, the catalog is re-read once per `intervalMs` — its cache TTL —
 * so the platform is asked at most as often as the catalog's own cache already allows.
 */
export interface StatusWatch {
  /** Calls `listener` with each deployment whose status differs from the last one seen; returns the stop. */
  listen(listener: (deployment: Deployment) => void): () => void;
  close(): void;
}

export interface StatusWatchOptions {
  catalog: Pick<DeploymentCatalog, 'list' | 'observe'>;
  intervalMs: number;
  logger: Logger;
}

export function createStatusWatch({ catalog, intervalMs, logger }: StatusWatchOptions): StatusWatch {
  const seen = new Map<string, string>();
  const listeners = new Set<(deployment: Deployment) => void>();
  let timer: NodeJS.Timeout | null = null;

  catalog.observe((deployments) => {
    for (const deployment of deployments) {
      const status = deploymentStatus(deployment.status);
      const before = seen.get(deployment.deploymentId);
      seen.set(deployment.deploymentId, status);
      // The first sighting is the baseline, not a change.
      if (before === undefined || before === status) continue;
      for (const listener of listeners) listener(deployment);
    }
  });

  // `fresh`: an expired list is refreshed before it is answered, so a change shows within one TTL, not two (the
  // stale answer would be seen first and the refreshed one only at the next tick). The same one fetch per TTL.
  const refresh = () =>
    void catalog
      .list(undefined, { fresh: true })
      .catch((error: unknown) => logger.debug({ err: error }, 'status watch: catalog read failed'));

  return {
    listen(listener) {
      listeners.add(listener);
      if (!timer) {
        timer = setInterval(refresh, Math.max(intervalMs, 250));
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !timer) return;
        clearInterval(timer);
        timer = null;
      };
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      listeners.clear();
    },
  };
}
