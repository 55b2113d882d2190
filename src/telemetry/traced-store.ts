import type { Store } from '../store/store.ts';
import { inSpan, SpanKind } from './spans.ts';

/**
 * The shared store with one client span per command (`redis get`, `redis setIfAbsent`, …): operation names only,
 * never keys or values (keys name client IDs and topics).
 */
/** Every other method is a command and returns a promise. */
const UNTRACED: ReadonlySet<string> = new Set(['isReady', 'close']);

export function tracedStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || UNTRACED.has(property)) return value;
      return (...args: unknown[]) =>
        inSpan(
          `redis ${property}`,
          { 'db.system.name': 'redis', 'db.operation.name': property },
          () => value.apply(target, args) as Promise<unknown>,
          SpanKind.CLIENT,
        );
    },
  });
}
