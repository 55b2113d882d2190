import { randomUUID } from 'node:crypto';
import type { QuotaDecision, QuotaState, Store } from './store.ts';

export interface MemoryStoreOptions {
  /**
   * Clock for key expiry (quota methods take their own `now` from the caller).
   * @default Date.now
   */
  now?: () => number;
  /**
   * Expired keys are also swept every this many writes, so keys that are never read again do not pile up.
   * @default 1000
   */
  sweepEveryWrites?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Index of the first element of the ascending `log` that still lies in the window (now - windowMs, now]. */
function firstInWindow(log: number[], cutoff: number): number {
  let index = 0;
  while (index < log.length && log[index]! <= cutoff) index++;
  return index;
}

/**
 * The store of a single replica: a Map with expiry and sliding-window logs. Used alone when no Redis is
 * configured (then this replica is the whole fleet) and as the failover store's local fallback.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const sweepEvery = options.sweepEveryWrites ?? 1000;
  const entries = new Map<string, Entry>();
  const logs = new Map<string, number[]>();
  const versions = new Map<string, string>();
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = () => {
    if (++writes % sweepEvery !== 0) return;
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  };

  const put = (key: string, value: string, ttlMs: number) => {
    entries.set(key, { value, expiresAt: now() + Math.max(1, ttlMs) });
    sweep();
  };

  /** Drops calls that left the window and returns the calls still in it (ascending). */
  const windowLog = (key: string, windowMs: number, at: number): number[] => {
    const log = logs.get(key) ?? [];
    log.splice(0, firstInWindow(log, at - windowMs));
    if (log.length === 0) logs.delete(key);
    return log;
  };

  const state = (log: number[], limit: number, windowMs: number): QuotaState => ({
    used: log.length,
    remaining: Math.max(0, limit - log.length),
    resetsAt: log.length > 0 ? log[0]! + windowMs : null,
  });

  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      put(key, value, ttlMs);
    },
    async del(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async getInScope(versionKey, key) {
      return { version: versions.get(versionKey) ?? '', value: live(key)?.value ?? null };
    },
    async bumpScope(versionKey) {
      versions.set(versionKey, randomUUID());
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async delIfEquals(key, value) {
      if (live(key)?.value === value) entries.delete(key);
    },
    async takeQuota(key, limit, windowMs, at): Promise<QuotaDecision> {
      const log = windowLog(key, windowMs, at);
      const allowed = log.length < limit;
      if (allowed) {
        log.push(at);
        log.sort((a, b) => a - b);
        logs.set(key, log);
      }
      // The call after this one may run once enough of the oldest calls have left the window.
      const freeing = log[log.length - limit];
      const retryAfterMs = allowed ? 0 : freeing === undefined ? windowMs : freeing + windowMs - at;
      const { remaining, resetsAt } = state(log, limit, windowMs);
      return { allowed, remaining, retryAfterMs, resetsAt };
    },
    async peekQuota(key, limit, windowMs, at) {
      const log = logs.get(key) ?? [];
      return state(log.slice(firstInWindow(log, at - windowMs)), limit, windowMs);
    },
    isReady: () => true,
    async close() {
      entries.clear();
      versions.clear();
      logs.clear();
    },
  };
}
