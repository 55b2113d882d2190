import { UpstreamUnavailableError } from '../errors.ts';

/**
 * At most `limit` tasks at once, the rest wait in order. A task that waits longer than `maxWaitMs` gives
 * up with UPSTREAM_UNAVAILABLE, so a slow deployment cannot hold a query beyond its timeout.
 */
export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and metrics). */
  readonly active: number;
}

export function createSemaphore(limit: number, maxWaitMs: number): Semaphore {
  let active = 0;
  const waiting: Array<{ start: () => void; timer: NodeJS.Timeout }> = [];

  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start();
    }
  };

  const acquire = () =>
    new Promise<void>((resolve, reject) => {
      if (active < limit) {
        active++;
        return resolve();
      }
      const entry = {
        start: () => {
          active++;
          resolve();
        },
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(
            new UpstreamUnavailableError(
              'The broker API is too busy: no call slot came free in time',
              'busy',
            ),
          );
        }, maxWaitMs),
      };
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
