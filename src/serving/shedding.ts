/**
 * Per-replica admission: a request is shed (503 with Retry-After, before its body is read or parsed) while
 * `maxInFlight` requests are already in progress, or while the event loop runs late by more than
 * `maxEventLoopDelayMs`. Answering "not now" at once keeps the accepted requests fast and the probes answered,
 * where queueing would make every caller wait and time out together.
 */
export type ShedReason = 'in_flight' | 'event_loop_delay';

export interface LoadShedder {
  /** Why this request should be shed, or null to admit it. */
  verdict(inFlight: number): ShedReason | null;
  /** Recent event-loop delay in ms (decays by half every sample once the loop is on time again). */
  readonly eventLoopDelayMs: number;
  close(): void;
}

export interface LoadShedderOptions {
  maxInFlight: number;
  maxEventLoopDelayMs: number;
  /** How often the loop's punctuality is sampled. @default 50 */
  sampleMs?: number;
}

export function createLoadShedder(options: LoadShedderOptions): LoadShedder {
  const sampleMs = options.sampleMs ?? 50;
  let delayMs = 0;
  let expected = performance.now() + sampleMs;
  // A timer that fires late measures exactly what a new request would wait before its first line of code runs.
  const timer = setInterval(() => {
    const now = performance.now();
    delayMs = Math.max(now - expected, delayMs / 2);
    expected = now + sampleMs;
  }, sampleMs);
  timer.unref();

  return {
    verdict(inFlight) {
      if (inFlight >= options.maxInFlight) return 'in_flight';
      if (delayMs > options.maxEventLoopDelayMs) return 'event_loop_delay';
      return null;
    },
    get eventLoopDelayMs() {
      return delayMs;
    },
    close: () => clearInterval(timer),
  };
}
