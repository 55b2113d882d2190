import type { Breakers } from '../resilience/breakers.ts';
import type { Store } from '../store/store.ts';

/**
 * What /readyz answers: whether this replica can serve (started and not draining) — not whether everything
 * behind it is healthy. A replica without Redis still serves from memory with its reduced quota share, and a
 * failing broker only fails its own fields, so taking the replica out of rotation for either would only move
 * the same traffic onto replicas in the same state. Those degradations are listed in the body instead.
 */
export interface Degradation {
  component: string;
  state: string;
}

export interface Readiness {
  status: 'ready' | 'starting' | 'draining';
  degraded: Degradation[];
}

export interface ReadinessSources {
  started: () => boolean;
  draining: () => boolean;
  store: Store;
  breakers: Breakers;
  eventLoopDelayMs?: () => number;
}

export function readinessOf(sources: ReadinessSources): Readiness {
  const status = sources.draining() ? 'draining' : sources.started() ? 'ready' : 'starting';
  const degraded: Degradation[] = [];
  if (sources.store.kind === 'redis' && !sources.store.isReady())
    degraded.push({
      component: 'redis',
      state: 'unreachable: caching, locks and quotas local to this replica',
    });
  for (const { upstream, state } of sources.breakers.notClosed())
    degraded.push({
      component: upstream === 'platform' ? 'platform' : `broker:${upstream}`,
      state: `circuit ${state}`,
    });
  const delay = sources.eventLoopDelayMs?.() ?? 0;
  if (delay > 100) degraded.push({ component: 'event-loop', state: `${Math.round(delay)} ms behind` });
  return { status, degraded };
}
