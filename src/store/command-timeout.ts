import { abortReason, currentBudget } from '../resilience/deadline.ts';

/** Redis gave no answer within the command timeout (measured as below). */
export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis command timed out: no answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * `command`, or a RedisTimeoutError when Redis has not answered after `timeoutMs`, or the request budget's abort
 * reason when that comes first. The timeout measures Redis, not this process: a timer only fires once the event
 * loop gets to it, and on a busy loop the answer is often already in the socket by then. So when the timer fires,
 * the verdict waits for the loop's next I/O phase (`setImmediate` runs right after it): an answer that had arrived
 * is read there first and wins. A command that loses still runs on Redis; the caller decides what that means.
 */
export function withCommandTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  const signal = currentBudget()?.signal;
  if (signal?.aborted) {
    command.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const timer = setTimeout(
      () => setImmediate(() => finish(() => reject(new RedisTimeoutError(timeoutMs)))),
      timeoutMs,
    );
    const onAbort = () => finish(() => reject(abortReason(signal as AbortSignal)));
    signal?.addEventListener('abort', onAbort, { once: true });
    command.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
