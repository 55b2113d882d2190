import type { RequestLogEntry } from './types.ts';

/** Narrows the log to one target, method or path fragment; every given field must match. */
export interface RequestLogFilter {
  target?: string;
  method?: string;
  pathIncludes?: string;
}

/** Every request the simulator answered (or chose to hang), oldest first: the tests' oracle of what was sent. */
export interface RequestLog {
  record(entry: RequestLogEntry): void;
  entries(filter?: RequestLogFilter): RequestLogEntry[];
  count(filter?: RequestLogFilter): number;
  clear(): void;
}

export interface RequestLogOptions {
  /**
   * Oldest entries are dropped beyond this, so a long-running `npm run sim` does not grow without bound.
   * @default 10000
   */
  maxEntries?: number;
}

const matches = (entry: RequestLogEntry, filter: RequestLogFilter): boolean =>
  (filter.target === undefined || entry.target === filter.target) &&
  (filter.method === undefined || entry.method.toUpperCase() === filter.method.toUpperCase()) &&
  (filter.pathIncludes === undefined || entry.rawPath.includes(filter.pathIncludes));

export function createRequestLog(options: RequestLogOptions = {}): RequestLog {
  const maxEntries = options.maxEntries ?? 10_000;
  let log: RequestLogEntry[] = [];
  const select = (filter: RequestLogFilter = {}) => log.filter((entry) => matches(entry, filter));
  return {
    record(entry) {
      log.push({ ...entry });
      if (log.length > maxEntries) log = log.slice(log.length - maxEntries);
    },
    entries: (filter) => select(filter).map((entry) => ({ ...entry })),
    count: (filter) => select(filter).length,
    clear() {
      log = [];
    },
  };
}
