/**
 * Runs each deployment's status changes one after another and owns the timers that move a deployment out of a
 * transient state. A newer plan for a deployment (a forced status, another operation) cancels the older one,
 * so a late timer never overwrites what a test forced.
 */
export interface TransitionRunner {
  /** Runs `step` after every earlier step of this deployment has finished. */
  now(id: string, step: () => Promise<void>): Promise<void>;
  /** Runs `step` after `delayMs` unless superseded by `cancel`, `later` or `close` in the meantime. */
  later(id: string, delayMs: number, step: () => Promise<void>): void;
  /** Drops the pending timer of one deployment. */
  cancel(id: string): void;
  close(): void;
}

export function createTransitionRunner(onError: (id: string, error: unknown) => void): TransitionRunner {
  const chains = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const generations = new Map<string, number>();
  let closed = false;

  const bump = (id: string) => {
    const generation = (generations.get(id) ?? 0) + 1;
    generations.set(id, generation);
    clearTimeout(timers.get(id));
    timers.delete(id);
    return generation;
  };

  const now = (id: string, step: () => Promise<void>) => {
    const run = (chains.get(id) ?? Promise.resolve()).then(step).catch((error) => onError(id, error));
    chains.set(id, run);
    return run;
  };

  return {
    now,
    later(id, delayMs, step) {
      const generation = bump(id);
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(id);
        void now(id, async () => {
          if (!closed && generations.get(id) === generation) await step();
        });
      }, delayMs);
      // The demo and tests must be able to exit while a deployment is still "starting".
      timer.unref();
      timers.set(id, timer);
    },
    cancel(id) {
      bump(id);
    },
    close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
