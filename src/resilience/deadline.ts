import { AsyncLocalStorage } from 'node:async_hooks';
import { CallerGoneError } from '../context.ts';
import { UpstreamUnavailableError } from '../errors.ts';

/**
 * One time budget per request (`upstream.timeoutMs` from admission), carried to every wait below the resolvers —
 * lock polls, broker call slots, Redis commands, upstream calls — without threading it through each long-lived
 * broker adapter: the request runs inside `withBudget`, and each wait asks `currentBudget()`. The budget's signal
 * aborts when the time is up (reason: DeadlineExceededError) or the caller disconnects (reason: CallerGoneError).
 * Work outside a request (subscriptions, background refreshes) has no budget and keeps its per-call limits.
 */
export interface Budget {
  readonly signal: AbortSignal;
  /** `performance.now()` at which the budget runs out. */
  readonly expiresAt: number;
  /** The whole budget, e.g. for a fetch shared with other callers that gets one of its own. */
  readonly totalMs: number;
  remainingMs(): number;
  /** Stops the timer (the response is complete); the signal stays as it is. */
  dispose(): void;
  /** No time limit from now on (the response became a long-lived stream); the caller leaving still aborts. */
  lift(): void;
}

/** The request's budget ran out before this wait ended. Not the upstream's fault: breakers ignore it. */
export class DeadlineExceededError extends UpstreamUnavailableError {
  constructor() {
    super(
      'The request used up its time budget (upstream.timeoutMs) before this part could be answered',
      'deadline',
    );
  }
}

const storage = new AsyncLocalStorage<Budget>();

export interface BudgetOptions {
  /** Aborts the budget when it aborts (e.g. the caller's connection closing). */
  callerSignal?: AbortSignal;
  /** Aborts the budget when it aborts, with this signal's reason (a shared fetch whose callers all left). */
  parentSignal?: AbortSignal;
}

export function createBudget(totalMs: number, options: BudgetOptions = {}): Budget {
  const controller = new AbortController();
  let expiresAt = performance.now() + totalMs;
  // An unlimited budget (a share of a lifted one) has no timer: setTimeout would clamp Infinity to 1 ms.
  const timer = Number.isFinite(totalMs)
    ? setTimeout(() => controller.abort(new DeadlineExceededError()), totalMs)
    : undefined;
  timer?.unref();
  const onCaller = () => controller.abort(new CallerGoneError());
  options.callerSignal?.addEventListener('abort', onCaller, { once: true });
  const onParent = () => controller.abort(options.parentSignal?.reason);
  options.parentSignal?.addEventListener('abort', onParent, { once: true });
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return {
    signal: controller.signal,
    get expiresAt() {
      return expiresAt;
    },
    totalMs,
    remainingMs: () => Math.max(0, expiresAt - performance.now()),
    dispose() {
      clearTimeout(timer);
      options.callerSignal?.removeEventListener('abort', onCaller);
      options.parentSignal?.removeEventListener('abort', onParent);
    },
    lift() {
      clearTimeout(timer);
      expiresAt = Number.POSITIVE_INFINITY;
    },
  };
}

/** Runs `task` (and everything it awaits) under `budget`. */
export function withBudget<T>(budget: Budget, task: () => T): T {
  return storage.run(budget, task);
}

/**
 * Runs `task` within `share` (0–1) of what is left of the current budget, so that work which only informs (a
 * read before a write) cannot use up the time the write itself needs. Without a budget, runs it as it is.
 */
export async function withBudgetShare<T>(share: number, task: () => Promise<T>): Promise<T> {
  const parent = currentBudget();
  if (!parent) return task();
  const part = createBudget(parent.remainingMs() * share, { parentSignal: parent.signal });
  try {
    return await withBudget(part, task);
  } finally {
    part.dispose();
  }
}

/** Runs `task` outside any request's budget (work whose lifetime is not one caller's). */
export function withoutBudget<T>(task: () => T): T {
  return storage.exit(task);
}

export function currentBudget(): Budget | undefined {
  return storage.getStore();
}

/** Why waiting must stop now: the signal's reason when it is one of ours, else a deadline. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof DeadlineExceededError || reason instanceof CallerGoneError
    ? reason
    : new DeadlineExceededError();
}

/** Throws at once when the current budget is spent or its caller gone: work that would start, does not. */
export function assertBudgetLeft(budget = currentBudget()): void {
  if (budget?.signal.aborted) throw abortReason(budget.signal);
}

/**
 * `promise`, or the budget's abort reason as soon as the budget aborts, whichever comes first. The promise itself
 * goes on (e.g. a Redis command already sent); only this caller stops waiting for it.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the abort reason when `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return untilAborted(done, signal).finally(() => clearTimeout(timer));
}
