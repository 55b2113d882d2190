import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTransitionRunner } from '../../src/simulator/platform/transitions.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('transition runner', () => {
  it('runs a delayed step once its delay has passed', async () => {
    const runner = createTransitionRunner(() => {});
    const step = vi.fn(async () => {});
    runner.later('a', 100, step);
    await vi.advanceTimersByTimeAsync(99);
    expect(step).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(step).toHaveBeenCalledOnce();
  });

  it.each([
    ['cancel', (runner: ReturnType<typeof createTransitionRunner>) => runner.cancel('a')],
    [
      'a newer plan',
      (runner: ReturnType<typeof createTransitionRunner>) => runner.later('a', 1000, async () => {}),
    ],
    ['close', (runner: ReturnType<typeof createTransitionRunner>) => runner.close()],
  ])('drops a pending step on %s', async (_name, supersede) => {
    const runner = createTransitionRunner(() => {});
    const step = vi.fn(async () => {});
    runner.later('a', 100, step);
    supersede(runner);
    await vi.advanceTimersByTimeAsync(500);
    expect(step).not.toHaveBeenCalled();
  });

  it("runs one deployment's steps in order and reports a failing step", async () => {
    const errors: unknown[] = [];
    const runner = createTransitionRunner((_id, error) => errors.push(error));
    const order: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = runner.now('a', async () => {
      await gate;
      order.push('first');
    });
    const second = runner.now('a', async () => {
      order.push('second');
      throw new Error('boom');
    });
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(errors).toHaveLength(1);
  });
});
