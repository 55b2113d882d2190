import { OutcomeUnknownError, UpstreamError, UpstreamUnavailableError } from '../errors.ts';

/**
 * A consecutive-failure circuit breaker per upstream (the platform API, each deployment's broker), per replica.
 * `failures` upstream failures in a row (5xx, timeout, refused or reset connection, a write left without an
 * answer) open it; while open every call fails at once with UPSTREAM_UNAVAILABLE (reason `open`) and nothing is
 * sent; after `openSeconds` exactly one call goes through as a probe, and its outcome closes or re-opens it.
 * Calls that arrive while the probe runs fail at once too: none of them is parked behind it, so no caller waits
 * longer than its own budget. Outcomes that say nothing about the upstream's health (the caller went away, the
 * request budget ran out first, no local call slot) neither count nor reset.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  failures: number;
  openSeconds: number;
}

export interface CircuitBreaker {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly state: BreakerState;
}

export interface CircuitBreakerOptions extends BreakerSettings {
  /** Shown in the refusal, e.g. `EMQX Cloud` or `The broker API of w41b11c0`. */
  label: string;
  /** Called once per state change (logging, the Prometheus gauge). */
  onChange?: (state: BreakerState) => void;
  /** Monotonic clock in ms. @default performance.now */
  now?: () => number;
}

const FAILING_REASONS = new Set(['timeout', 'unreachable', 'status']);

/** True when the error shows the upstream itself failing; false for outcomes that were ours or the caller's. */
export function isUpstreamFailure(error: unknown): boolean {
  if (error instanceof OutcomeUnknownError) return true;
  return error instanceof UpstreamUnavailableError && FAILING_REASONS.has(error.reason);
}

/** The upstream answered (a 4xx, an application error, a 429): it is alive. */
const isUpstreamAnswer = (error: unknown) =>
  error instanceof UpstreamError || (error as { code?: string })?.code === 'RATE_LIMITED';

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? (() => performance.now());
  const openMs = options.openSeconds * 1000;
  let state: BreakerState = 'closed';
  let consecutive = 0;
  let openedAt = 0;
  let probing = false;

  const moveTo = (next: BreakerState) => {
    if (next === state) return;
    state = next;
    options.onChange?.(next);
  };

  /** Lets the call through (true when it is the probe) or refuses it. */
  function admit(): boolean {
    if (state === 'closed') return false;
    if (state === 'open' && now() - openedAt >= openMs) moveTo('half-open');
    if (state === 'half-open' && !probing) {
      probing = true;
      return true;
    }
    const wait = Math.max(1, Math.ceil((openMs - (now() - openedAt)) / 1000));
    throw new UpstreamUnavailableError(
      `${options.label} is failing; the gateway makes no call to it for up to ${wait} s (circuit open)`,
      'open',
    );
  }

  function healthy() {
    consecutive = 0;
    moveTo('closed');
  }

  function failed(probe: boolean) {
    consecutive++;
    if (probe || consecutive >= options.failures) {
      openedAt = now();
      moveTo('open');
    }
  }

  return {
    async run(task) {
      const probe = admit();
      try {
        const result = await task();
        healthy();
        return result;
      } catch (error) {
        if (isUpstreamFailure(error)) failed(probe);
        else if (isUpstreamAnswer(error)) healthy();
        throw error;
      } finally {
        if (probe) probing = false;
      }
    },
    get state() {
      return state;
    },
  };
}
