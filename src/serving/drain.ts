import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { closeAfterResponse } from './http-server.ts';

/**
 * The traffic side of a graceful shutdown. On `drain()`: readiness turns false at once while the listener stays
 * open for `delayMs`, so load balancers notice and move away; whatever arrives meanwhile is still answered, with
 * `Connection: close` so the client reconnects elsewhere. Then the listener closes, idle connections close,
 * in-flight requests get up to `timeoutMs` to finish, and whatever is left is cut.
 */
export interface Drain {
  /** Counts a request until its response closes, and marks it `Connection: close` while draining. */
  track(req: IncomingMessage, res: ServerResponse): void;
  readonly draining: boolean;
  readonly inFlight: number;
  drain(options: { delayMs: number; timeoutMs: number }): Promise<{ cut: number }>;
}

export function createDrain(server: Server): Drain {
  let draining = false;
  let inFlight = 0;
  let settled: (() => void) | undefined;

  return {
    track(_req, res) {
      inFlight++;
      if (draining) closeAfterResponse(res);
      res.once('close', () => {
        inFlight--;
        if (inFlight === 0) settled?.();
      });
    },
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    async drain({ delayMs, timeoutMs }) {
      draining = true;
      if (delayMs > 0) await delay(delayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (settled = resolve));
      const cancel = new AbortController();
      const timer = delay(timeoutMs, 'timeout' as const, { signal: cancel.signal }).catch(
        () => 'done' as const,
      );
      const outcome = await Promise.race([idle.then(() => 'done' as const), timer]);
      cancel.abort();
      const cut = outcome === 'timeout' ? inFlight : 0;
      server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}
