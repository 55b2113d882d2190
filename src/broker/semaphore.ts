import { UpstreamUnavailableError } from '../errors.ts';
import { abortReason, currentBudget } from '../resilience/deadline.ts';

/**
 * At most `limit` tasks at once, the rest wait in order. A task waits at most `maxWaitMs` and never past the
 * current request's budget (src/resilience/deadline.ts): then it gives up with UPSTREAM_UNAVAILABLE, so a slow
 * deployment cannot hold a query beyond its timeout. A waiter whose budget aborts (the caller disconnected, or
 * every caller of a shared fetch did) leaves the queue and its task never starts.
 */
export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and metrics). */
  readonly active: number;
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
  leave: () => void;
}

export function createSemaphore(limit: number, maxWaitMs: number): Semaphore {
  let active = 0;
  const waiting: Waiter[] = [];

  /**
   * A freed slot passes to the next waiter only after the I/O already pending has been read (`setImmediate` runs
   * right after it): callers whose disconnects arrived in the same burst are seen as gone, and leave the queue,
   * before their calls could start.
   */
  const release = () => {
    if (waiting.length === 0) {
      active--;
      return;
    }
    setImmediate(() => {
      const next = waiting.shift();
      if (!next) {
        active--;
        return;
      }
      next.leave();
      next.start();
    });
  };

  const acquire = () =>
    new Promise<void>((resolve, reject) => {
      const signal = currentBudget()?.signal;
      if (signal?.aborted) return reject(abortReason(signal));
      if (active < limit) {
        active++;
        return resolve();
      }
      const waitMs = Math.min(maxWaitMs, currentBudget()?.remainingMs() ?? maxWaitMs);
      const giveUp = (error: Error) => {
        const index = waiting.indexOf(entry);
        if (index >= 0) waiting.splice(index, 1);
        entry.leave();
        reject(error);
      };
      const onAbort = () => giveUp(abortReason(signal as AbortSignal));
      const entry: Waiter = {
        // The slot is handed over as it is: `active` already counts it.
        start: resolve,
        timer: setTimeout(
          () =>
            giveUp(
              new UpstreamUnavailableError(
                'The broker API is too busy: no call slot came free in time',
                'busy',
              ),
            ),
          waitMs,
        ),
        leave: () => {
          clearTimeout(entry.timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });

  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
  };
}
