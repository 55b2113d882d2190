import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import {
  type BreakerSettings,
  type BreakerState,
  type CircuitBreaker,
  createCircuitBreaker,
} from './breaker.ts';

/** One breaker per upstream of this replica, created on first use, each a gauge series and a log line per change. */
export interface Breakers {
  /** `platform` or a deployment ID. */
  of(upstream: string): CircuitBreaker;
  /** Upstreams whose breaker is not closed, for /readyz. */
  notClosed(): Array<{ upstream: string; state: BreakerState }>;
}

const GAUGE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakersOptions {
  settings: BreakerSettings;
  logger: Pick<Logger, 'warn' | 'info'>;
  metrics?: Metrics;
}

export function createBreakers({ settings, logger, metrics }: BreakersOptions): Breakers {
  const breakers = new Map<string, CircuitBreaker>();

  function build(upstream: string): CircuitBreaker {
    const label = upstream === 'platform' ? 'EMQX Cloud' : `The broker API of ${upstream}`;
    metrics?.breakerState.set({ upstream }, 0);
    return createCircuitBreaker({
      ...settings,
      label,
      onChange(state) {
        metrics?.breakerState.set({ upstream }, GAUGE_VALUE[state]);
        const fields = { upstream, state, ...settings };
        if (state === 'open') logger.warn(fields, 'circuit open: no calls to this upstream for a while');
        else logger.info(fields, `circuit ${state}`);
      },
    });
  }

  return {
    of(upstream) {
      let breaker = breakers.get(upstream);
      if (!breaker) {
        breaker = build(upstream);
        breakers.set(upstream, breaker);
      }
      return breaker;
    },
    notClosed() {
      return [...breakers]
        .filter(([, breaker]) => breaker.state !== 'closed')
        .map(([upstream, breaker]) => ({ upstream, state: breaker.state }));
    },
  };
}
