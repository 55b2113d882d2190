import type { Alarm } from './types.ts';

/** Active alarms (one per name) and the history of deactivated ones, as `emqx_alarm` keeps them. */
export interface AlarmStore {
  activated(): Alarm[];
  deactivated(): Alarm[];
  /** No-op when an alarm of that name is already active. */
  activate(name: string, message: string, details?: Record<string, unknown>): void;
  /** Moves the active alarm of that name to the history; no-op when none is active. */
  deactivate(name: string): void;
  /** Clears the history (v5 `DELETE /alarms`). */
  clearDeactivated(): void;
  /** Adds an already-deactivated alarm to the history (a deployment's past, seeded at creation). */
  recordHistory(alarm: Alarm): void;
}

/** Told of every activation and deactivation, as `emqx_alarm`'s `publish` action is. */
export type AlarmListener = (operation: 'activate' | 'deactivate', alarm: Alarm) => void;

export function createAlarmStore(now: () => number, listener: AlarmListener = () => {}): AlarmStore {
  const active = new Map<string, Alarm>();
  const history: Alarm[] = [];
  return {
    activated: () => [...active.values()],
    deactivated: () => [...history],
    activate(name, message, details = {}) {
      if (active.has(name)) return;
      const alarm = { name, message, details, activateAt: now(), deactivateAt: null };
      active.set(name, alarm);
      listener('activate', alarm);
    },
    deactivate(name) {
      const alarm = active.get(name);
      if (!alarm) return;
      active.delete(name);
      const deactivated = { ...alarm, deactivateAt: now() };
      history.unshift(deactivated);
      listener('deactivate', deactivated);
    },
    clearDeactivated() {
      history.length = 0;
    },
    recordHistory(alarm) {
      history.push(alarm);
    },
  };
}

/** EMQX Enterprise raises `license_quota` once live connections reach 80% of the licensed maximum. */
export function checkConnectionQuota(alarms: AlarmStore, liveConnections: number, quota: number): void {
  const threshold = Math.ceil(quota * 0.8);
  if (liveConnections >= threshold) {
    alarms.activate('license_quota', 'License: live connection number exceeds 80%', {
      limit: quota,
      threshold: 0.8,
      connections: liveConnections,
    });
  } else {
    alarms.deactivate('license_quota');
  }
}
