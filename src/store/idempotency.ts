import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BadUserInputError,
  ExpectedError,
  OutcomeUnknownError,
  UpstreamUnavailableError,
} from '../errors.ts';
import type { Logger } from '../logger.ts';
import { currentBudget, DeadlineExceededError, withoutBudget } from '../resilience/deadline.ts';
import { decodeOutcome, encodeOutcome } from './outcome-codec.ts';
import type { Store } from './store.ts';

/**
 * Idempotency keys (CONTRACT §6): the first run of a mutation with a key is recorded in the shared store under
 * caller + field + key, with a hash of its arguments; a repeat within the TTL, on any replica, answers that
 * record instead of running again. One record per key moves from `pending` (claimed with SET NX, so of two
 * concurrent repeats exactly one runs) to `done`. A repeat that finds it pending polls until it is done, or
 * answers OUTCOME_UNKNOWN once the first run's deadline has passed: its replica renews that deadline while the
 * run lasts, so it passes only when the replica died mid-write.
 */

type StoredRecord =
  | { state: 'pending'; hash: string; owner: string; deadline: number }
  | { state: 'done'; hash: string; ok: true; value: string }
  | { state: 'done'; hash: string; ok: false; error: string };

/**
 * UPSTREAM_UNAVAILABLE reasons that say nothing was sent: the connection was refused, no local call slot came
 * free, or the circuit was open. Any other UPSTREAM_UNAVAILABLE (EMQX answered 5xx, the caller went away
 * mid-call) may follow a write that happened.
 */
const NOT_SENT: ReadonlySet<string> = new Set(['unreachable', 'busy', 'open']);

/**
 * Whether the write may have happened, so a repeat must answer this outcome rather than try again. Every other
 * error is a refusal before anything changed (bad input, role, quota, not found, EMQX saying no, an upstream the
 * gateway could not send to), which frees the key for the same request to be sent again.
 */
function mayHaveWritten(error: unknown): boolean {
  if (!(error instanceof ExpectedError)) return true;
  if (error.code === 'OUTCOME_UNKNOWN') return true;
  if (error instanceof UpstreamUnavailableError) return !NOT_SENT.has(error.reason);
  return false;
}

export interface IdempotencyOptions {
  /** The fleet's shared store itself (Redis), never a local fallback: a key that only one replica knows is no key. */
  store: Store;
  keyPrefix: string;
  ttlMs: number;
  /**
   * How long a first run's claim holds without being renewed; the replica running it renews it every half of
   * this, so repeats answer OUTCOME_UNKNOWN only once that replica stopped (died mid-write).
   */
  pendingMs: number;
  logger: Logger;
  /**
   * The longest a repeat waits for a first run that keeps renewing its claim (alive but stuck) before it
   * answers OUTCOME_UNKNOWN.
   * @default 10 × pendingMs
   */
  maxWaitMs?: number;
  /** @default 25 */
  pollMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface IdempotencyScope {
  caller: string;
  field: string;
  key: string;
}

export interface Idempotency {
  /**
   * Runs `work` once per scope and arguments within the TTL; `onRepeat` is called when the answer is a recorded
   * one. Throws BAD_USER_INPUT for the key with other arguments, UPSTREAM_UNAVAILABLE when the store is down.
   */
  run<T>(scope: IdempotencyScope, args: unknown, work: () => Promise<T>, onRepeat?: () => void): Promise<T>;
  /**
   * The finished first run recorded for this scope and these very arguments, as a function that answers it as
   * `run` would (returns the value or throws the error); null when there is none or the store cannot say. For a
   * repeat that a check depending on the time now refuses (a ban's `until` has passed since): the first answer
   * still stands.
   */
  recorded<T>(scope: IdempotencyScope, args: unknown): Promise<(() => T) | null>;
}

/** A stable text of JSON-like arguments: object keys sorted, Dates as ISO text. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value ?? null;
}

export const argumentsHash = (args: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(args)))
    .digest('base64url');

const storeDown = () =>
  new UpstreamUnavailableError(
    'The shared idempotency store is unreachable, so a write with an idempotencyKey is refused rather than risk doing it twice; try again shortly',
  );

export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { store, ttlMs, pendingMs, logger } = options;
  const pollMs = options.pollMs ?? 25;
  const maxWaitMs = options.maxWaitMs ?? 10 * pendingMs;
  const now = options.now ?? Date.now;
  const keyOf = ({ caller, field, key }: IdempotencyScope) =>
    `${options.keyPrefix}idem:${createHash('sha256').update(`${caller}\0${field}\0${key}`).digest('base64url')}`;

  async function finish(key: string, record: StoredRecord): Promise<void> {
    try {
      // Bookkeeping outside the request's time budget: a write that ended as the budget ran out (the usual
      // OUTCOME_UNKNOWN) must still be recorded, or its repeats could not answer it.
      await withoutBudget(() => store.set(key, JSON.stringify(record), ttlMs));
    } catch (error) {
      // The pending record stays: repeats answer OUTCOME_UNKNOWN after its deadline, never a second write.
      logger.warn({ err: error }, 'could not record the outcome of an idempotent write');
    }
  }

  /**
   * Keeps a running first run's claim alive: every half pending window its deadline moves on, so a first run
   * that takes several upstream calls (a read, then the write) is waited for however long it takes, and only a
   * replica that died mid-write lets the deadline pass. Renewals run one after another; `release` waits for the
   * last, so nothing overwrites the outcome recorded after it.
   */
  function holdClaim(key: string, claim: string) {
    const record = JSON.parse(claim) as StoredRecord;
    let current = claim;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        const next = JSON.stringify({ ...record, deadline: now() + pendingMs });
        renewing = renewing.then(() =>
          withoutBudget(() => store.set(key, next, ttlMs)).then(
            () => {
              current = next;
            },
            (error: unknown) =>
              logger.warn({ err: error }, 'could not renew the claim of an idempotent write'),
          ),
        );
      },
      Math.max(1, pendingMs / 2),
    );
    timer.unref?.();
    return {
      async release(): Promise<string> {
        clearInterval(timer);
        await renewing;
        return current;
      },
    };
  }

  async function runFirst<T>(key: string, hash: string, owner: string, work: () => Promise<T>): Promise<T> {
    const claim = holdClaim(key, owner);
    let value: T;
    try {
      value = await work();
    } catch (error) {
      const held = await claim.release();
      if (!mayHaveWritten(error)) {
        await withoutBudget(() => store.delIfEquals(key, held)).catch(() => undefined);
        throw error;
      }
      const kept = error instanceof ExpectedError ? error : new OutcomeUnknownError('The write');
      await finish(key, { state: 'done', hash, ok: false, error: encodeOutcome(kept) });
      throw error;
    }
    await claim.release();
    await finish(key, { state: 'done', hash, ok: true, value: encodeOutcome(value) });
    return value;
  }

  function answer<T>(record: StoredRecord & { state: 'done' }): T {
    if (record.ok) return decodeOutcome(record.value) as T;
    throw decodeOutcome(record.error);
  }

  return {
    async recorded<T>(scope: IdempotencyScope, args: unknown) {
      const text = await store.get(keyOf(scope)).catch(() => null);
      if (text === null) return null;
      const record = JSON.parse(text) as StoredRecord;
      if (record.state !== 'done' || record.hash !== argumentsHash(args)) return null;
      return () => answer<T>(record);
    },
    async run(scope, args, work, onRepeat) {
      const key = keyOf(scope);
      const hash = argumentsHash(args);
      const waitUntil = now() + maxWaitMs;
      /** Until when a failed look is tried again: one pending window, then the deadline of the run waited for. */
      let lookUntil = now() + pendingMs;
      let sawPending = false;
      for (;;) {
        const owner = JSON.stringify({
          state: 'pending',
          hash,
          owner: randomUUID(),
          deadline: now() + pendingMs,
        });
        let claimed = false;
        let text: string | null = null;
        try {
          claimed = await store.setIfAbsent(key, owner, ttlMs);
          if (!claimed) text = await store.get(key);
        } catch (error) {
          // This request's own time ran out (or its caller left) while the first run it waits for had not answered.
          if (currentBudget()?.signal.aborted || error instanceof DeadlineExceededError) {
            if (!sawPending) throw error;
            onRepeat?.();
            throw new OutcomeUnknownError(
              `The first ${scope.field} with this idempotencyKey`,
              "no answer came back within this request's time budget",
            );
          }
          // A slow answer from a connected store (a busy replica, a command timeout) is looked at again for a
          // while: a claim whose reply was lost shows up as a pending record and is waited for, never run twice.
          // A store that is not connected refuses at once (no key is no key).
          if (!store.isReady() || now() > Math.min(lookUntil, waitUntil)) throw storeDown();
          await delay(pollMs);
          continue;
        }
        if (claimed) return runFirst(key, hash, owner, work);
        if (text === null) continue; // freed by a refused first run, or expired: claim it again
        const record = JSON.parse(text) as StoredRecord;
        if (record.hash !== hash) {
          throw new BadUserInputError(
            `idempotencyKey ${scope.key} was already used for ${scope.field} with other arguments`,
            'idempotencyKey',
          );
        }
        if (record.state === 'done') {
          onRepeat?.();
          return answer(record);
        }
        if (now() > record.deadline || now() > waitUntil) {
          onRepeat?.();
          throw new OutcomeUnknownError(`The first ${scope.field} with this idempotencyKey`);
        }
        lookUntil = record.deadline;
        sawPending = true;
        await delay(pollMs);
      }
    },
  };
}
