import type { Fault } from './types.ts';

/**
 * Fault switches, at most one per target (`platform` or a deployment ID); setting a new one replaces the old.
 * A fault with neither `status` nor `hang` only delays the real answer.
 */
export interface FaultStore {
  set(target: string, fault: Fault): void;
  /** Clears one target's fault, or every fault when no target is given. */
  clear(target?: string): void;
  /** The fault that applies to this request, if any. */
  match(target: string, method: string, rawPath: string): Fault | undefined;
}

const applies = (fault: Fault, method: string, rawPath: string): boolean =>
  (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
  (fault.pathIncludes === undefined || rawPath.includes(fault.pathIncludes));

export function createFaultStore(): FaultStore {
  const faults = new Map<string, Fault>();
  return {
    set(target, fault) {
      faults.set(target, { ...fault });
    },
    clear(target) {
      if (target === undefined) faults.clear();
      else faults.delete(target);
    },
    match(target, method, rawPath) {
      const fault = faults.get(target);
      return fault && applies(fault, method, rawPath) ? fault : undefined;
    },
  };
}
