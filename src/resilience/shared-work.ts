import { CallerGoneError } from '../context.ts';
import { type Budget, createBudget, currentBudget, untilAborted, withBudget } from './deadline.ts';

/**
 * Work that several callers wait for (one upstream fetch per key, coalesced), so no single caller's budget may
 * cut it: it runs under a budget of its own (as long as the starter's whole budget, from its start), and is
 * aborted early only once every caller that waited for it has disconnected — then its queued upstream calls
 * never start. A caller whose own budget ends stops waiting at once; the work goes on for the others (and the
 * cache). Work started outside any request has no budget, as before.
 */
export interface SharedWork<T> {
  /** Waits for the result within the current caller's budget. */
  join(): Promise<T>;
  /** The work itself (for callers that do not wait, e.g. a background refresh). */
  readonly done: Promise<T>;
}

export function startSharedWork<T>(task: () => Promise<T>): SharedWork<T> {
  const starter = currentBudget();
  if (!starter) {
    const done = task();
    return { done, join: () => done };
  }
  const controller = new AbortController();
  const own = createBudget(starter.totalMs, { parentSignal: controller.signal });
  const done = withBudget(own, task).finally(() => own.dispose());
  let present = 0;

  function join(): Promise<T> {
    const budget: Budget | undefined = currentBudget();
    if (!budget) return done;
    if (budget.signal.aborted) return untilAborted(done, budget.signal);
    present++;
    const onAbort = () => {
      if (!(budget.signal.reason instanceof CallerGoneError)) return;
      present--;
      if (present === 0) controller.abort(new CallerGoneError());
    };
    budget.signal.addEventListener('abort', onAbort, { once: true });
    done.then(
      () => budget.signal.removeEventListener('abort', onAbort),
      () => budget.signal.removeEventListener('abort', onAbort),
    );
    return untilAborted(done, budget.signal);
  }

  return { done, join };
}
