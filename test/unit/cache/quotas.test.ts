import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../src/errors.ts';
import { createQuotaGuard, type QuotaGuardOptions } from '../../../src/store/quotas.ts';
import type { Store } from '../../../src/store/store.ts';
import { freshPrefix, useStoreKinds } from './stores.ts';

const { kinds } = useStoreKinds();

const quotas = {
  listDeployments: { limit: 3, windowSeconds: 60 },
  startDeployment: { limit: 1, windowSeconds: 60 },
};

/** A clock the test moves by hand, so an "hour" passes without waiting. */
function manualClock() {
  let at = Date.now();
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

function guardOn(store: Store, clock: { now: () => number }, extra: Partial<QuotaGuardOptions> = {}) {
  return createQuotaGuard({
    store,
    quotas,
    keyPrefix: extra.keyPrefix ?? freshPrefix(),
    now: clock.now,
    windowMarginMs: 0,
    failClosed: new Set(['startDeployment']),
    ...extra,
  });
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

describe.each(kinds)('quota guard on the $name store', (kind) => {
  it('allows the limit, refuses the next call naming endpoint and window, and frees as time passes', async () => {
    const clock = manualClock();
    const guard = guardOn(await kind.open(), clock);
    await guard.take('listDeployments');
    clock.advance(10_000);
    await guard.take('listDeployments');
    await guard.take('listDeployments');
    const error = await refusal(guard.take('listDeployments'));
    expect(error.message).toMatch(/listDeployments/);
    expect(error.message).toMatch(/3 .* per 60 s/);
    expect(error.retryAfterSeconds).toBe(50);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 50 });
    clock.advance(50_000);
    await guard.take('listDeployments');
    expect((await refusal(guard.take('listDeployments'))).retryAfterSeconds).toBe(10);
  });

  it('shares one budget between replicas', async () => {
    const [storeA, storeB] = await kind.openPair();
    const clock = manualClock();
    const keyPrefix = freshPrefix();
    const replicaA = guardOn(storeA, clock, { keyPrefix });
    const replicaB = guardOn(storeB, clock, { keyPrefix });
    await replicaA.take('listDeployments');
    await replicaB.take('listDeployments');
    await replicaA.take('listDeployments');
    await refusal(replicaB.take('listDeployments'));
    await refusal(replicaA.take('listDeployments'));
  });

  it('pauses an endpoint for every replica after a 429, without counting refused calls', async () => {
    const [storeA, storeB] = await kind.openPair();
    const clock = manualClock();
    const keyPrefix = freshPrefix();
    const replicaA = guardOn(storeA, clock, { keyPrefix });
    const replicaB = guardOn(storeB, clock, { keyPrefix });
    await replicaA.pause('listDeployments', 30_000);
    const error = await refusal(replicaB.take('listDeployments'));
    expect(error.message).toMatch(/listDeployments is paused .*429/);
    expect(error.retryAfterSeconds).toBe(30);
    clock.advance(30_000);
    await replicaB.take('listDeployments');
    const [list] = await replicaA.snapshot();
    expect(list).toMatchObject({ endpoint: 'listDeployments', remaining: 2 });
  });

  it('pauses for the whole window when the platform gave no Retry-After', async () => {
    const clock = manualClock();
    const guard = guardOn(await kind.open(), clock);
    await guard.pause('startDeployment');
    expect((await refusal(guard.take('startDeployment'))).retryAfterSeconds).toBe(60);
  });

  it('reports limit, remaining and reset time per endpoint', async () => {
    const clock = manualClock();
    const t0 = clock.now();
    const guard = guardOn(await kind.open(), clock);
    await guard.take('listDeployments');
    clock.advance(5_000);
    await guard.take('listDeployments');
    expect(await guard.snapshot()).toEqual([
      {
        endpoint: 'listDeployments',
        limit: 3,
        remaining: 1,
        windowSeconds: 60,
        resetsAt: new Date(t0 + 60_000),
      },
      { endpoint: 'startDeployment', limit: 1, remaining: 1, windowSeconds: 60, resetsAt: null },
    ]);
    await guard.pause('startDeployment', 7_000);
    const [, start] = await guard.snapshot();
    expect(start).toMatchObject({ remaining: 0, resetsAt: new Date(clock.now() + 7_000) });
  });

  it('widens each window by a safety margin by default (1% of the window, at most 1 s)', async () => {
    const clock = manualClock();
    const guard = guardOn(await kind.open(), clock, { windowMarginMs: undefined });
    await guard.take('startDeployment');
    expect((await refusal(guard.take('startDeployment'))).retryAfterSeconds).toBe(61);
    clock.advance(60_000);
    await refusal(guard.take('startDeployment'));
    clock.advance(600);
    await guard.take('startDeployment');
  });

  it('rejects an endpoint with no configured quota as a programming error', async () => {
    const guard = guardOn(await kind.open(), manualClock());
    await expect(guard.take('deleteEverything')).rejects.toThrow('No quota configured for platform endpoint');
  });
});
