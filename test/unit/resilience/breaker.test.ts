import { describe, expect, it } from 'vitest';
import { UpstreamError, UpstreamUnavailableError } from '../../../src/errors.ts';
import { type BreakerState, createCircuitBreaker } from '../../../src/resilience/breaker.ts';

function harness(failures = 3, openSeconds = 10) {
  let clock = 0;
  const changes: BreakerState[] = [];
  let calls = 0;
  const breaker = createCircuitBreaker({
    failures,
    openSeconds,
    label: 'The broker API of test',
    now: () => clock,
    onChange: (state) => changes.push(state),
  });
  const attempt = (outcome: 'ok' | Error) =>
    breaker
      .run(async () => {
        calls++;
        if (outcome !== 'ok') throw outcome;
        return 'ok';
      })
      .catch((error: unknown) => error);
  return {
    breaker,
    changes,
    attempt,
    calls: () => calls,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const down = () => new UpstreamUnavailableError('503', 'status');

describe('circuit breaker', () => {
  it('opens after `failures` upstream failures in a row and then makes no call until openSeconds pass', async () => {
    const h = harness(3, 10);
    for (let i = 0; i < 3; i++) await h.attempt(down());
    expect(h.breaker.state).toBe('open');
    const refused = await h.attempt('ok');
    expect(refused).toBeInstanceOf(UpstreamUnavailableError);
    expect((refused as UpstreamUnavailableError).reason).toBe('open');
    expect(h.calls()).toBe(3);
    h.advance(9_999);
    await h.attempt('ok');
    expect(h.calls()).toBe(3);
  });

  it('lets exactly one probe through after openSeconds; others fail at once while it runs', async () => {
    const h = harness(2, 1);
    await h.attempt(down());
    await h.attempt(down());
    h.advance(1_000);
    let finishProbe!: () => void;
    const probe = h.breaker.run(() => new Promise<string>((resolve) => (finishProbe = () => resolve('ok'))));
    const during = await h.attempt('ok');
    expect((during as UpstreamUnavailableError).reason).toBe('open');
    expect(h.breaker.state).toBe('half-open');
    finishProbe();
    await probe;
    expect(h.breaker.state).toBe('closed');
    expect(await h.attempt('ok')).toBe('ok');
    expect(h.changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens when the probe fails', async () => {
    const h = harness(2, 1);
    await h.attempt(down());
    await h.attempt(down());
    h.advance(1_000);
    await h.attempt(new UpstreamUnavailableError('timeout', 'timeout'));
    expect(h.breaker.state).toBe('open');
    expect(h.changes).toEqual(['open', 'half-open', 'open']);
  });

  it('does not count outcomes that say nothing about the upstream; an answer resets the count', async () => {
    const h = harness(2, 1);
    await h.attempt(down());
    await h.attempt(new UpstreamUnavailableError('gone', 'cancelled'));
    await h.attempt(new UpstreamUnavailableError('no slot', 'busy'));
    expect(h.breaker.state).toBe('closed');
    await h.attempt(new UpstreamError('bad request', 'BAD_REQUEST', 400));
    await h.attempt(down());
    expect(h.breaker.state).toBe('closed');
    await h.attempt(down());
    expect(h.breaker.state).toBe('open');
  });
});
