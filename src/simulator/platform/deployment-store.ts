import { randomInt } from 'node:crypto';
import type { DeploymentRecord, DeploymentStatus } from './records.ts';
import { createTransitionRunner } from './transitions.ts';

/** What the rest of the simulator does when the platform changes a deployment. */
export interface DeploymentHooks {
  /** A deployment was just created (status `pending`): prepare its broker and API address, not yet serving. */
  created(record: DeploymentRecord): Promise<void>;
  /** Brings the deployment's broker and API listener up (`true`) or down (`false`); must be idempotent. */
  setRunning(id: string, running: boolean): Promise<void>;
}

/** How long each transient state lasts before the platform moves on. */
export interface TransitionDelays {
  /** `starting` → `running`. */
  startMs: number;
  /** `stopping` → `stopped`. */
  stopMs: number;
  /** `pending` → `running`. */
  createMs: number;
}

export interface DeploymentStoreOptions {
  deployments: DeploymentRecord[];
  delays: TransitionDelays;
  hooks: DeploymentHooks;
}

export type LifecycleRefusal = 'not-found' | 'not-dedicated' | 'wrong-state';
export type LifecycleResult =
  | { ok: true; record: DeploymentRecord }
  | { ok: false; reason: LifecycleRefusal };

export type NewDeployment = Omit<DeploymentRecord, 'id' | 'status' | 'name'> & { name?: string };

export interface DeploymentStore {
  list(): DeploymentRecord[];
  get(id: string): DeploymentRecord | undefined;
  /** `stopped` → `starting` → `running`; only dedicated editions, only from `stopped`. */
  start(id: string): LifecycleResult;
  /** `running` → `stopping` → `stopped`; only dedicated editions, only from `running`. */
  stop(id: string): LifecycleResult;
  /** A new deployment in `pending` whose broker is prepared before this resolves; `running` after the delay. */
  create(input: NewDeployment): Promise<DeploymentRecord>;
  /** Sets a status at once (cancelling any pending transition) and brings the broker up or down to match. */
  force(id: string, status: DeploymentStatus): Promise<void>;
  close(): void;
}

const ID_FIRST = 'abcdefghijklmnopqrstuvwxyz';
const ID_REST = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 lowercase characters starting with a letter, like `w41b11c0`. */
function newDeploymentId(taken: (id: string) => boolean): string {
  for (;;) {
    let id = ID_FIRST[randomInt(ID_FIRST.length)]!;
    for (let index = 1; index < 8; index++) id += ID_REST[randomInt(ID_REST.length)];
    if (!taken(id)) return id;
  }
}

export function createDeploymentStore(options: DeploymentStoreOptions): DeploymentStore {
  const { delays, hooks } = options;
  const records = new Map(options.deployments.map((record) => [record.id, { ...record }]));
  const runner = createTransitionRunner((id, error) => {
    console.error(`[simulator platform] transition of ${id} failed`, error);
    const record = records.get(id);
    if (record) record.status = 'failed';
  });

  const lifecycle = (id: string, from: DeploymentStatus): LifecycleResult => {
    const record = records.get(id);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.type === 'serverless') return { ok: false, reason: 'not-dedicated' };
    if (record.status !== from) return { ok: false, reason: 'wrong-state' };
    return { ok: true, record };
  };

  const bringUp = (record: DeploymentRecord) => async () => {
    await hooks.setRunning(record.id, true);
    record.status = 'running';
  };

  return {
    list: () => [...records.values()],
    get: (id) => records.get(id),
    start(id) {
      const result = lifecycle(id, 'stopped');
      if (!result.ok) return result;
      result.record.status = 'starting';
      runner.later(id, delays.startMs, bringUp(result.record));
      return result;
    },
    stop(id) {
      const result = lifecycle(id, 'running');
      if (!result.ok) return result;
      const { record } = result;
      record.status = 'stopping';
      // The API goes away as soon as the deployment stops serving; the status settles later.
      void runner.now(id, () => hooks.setRunning(id, false));
      runner.later(id, delays.stopMs, async () => {
        record.status = 'stopped';
      });
      return result;
    },
    async create(input) {
      const id = newDeploymentId((candidate) => records.has(candidate));
      const record: DeploymentRecord = {
        ...input,
        id,
        name: input.name ?? `deployment-${id}`,
        status: 'pending',
      };
      records.set(id, record);
      await runner.now(id, () => hooks.created(record));
      if (record.status === 'pending') runner.later(id, delays.createMs, bringUp(record));
      return record;
    },
    async force(id, status) {
      const record = records.get(id);
      if (!record) throw new Error(`unknown deployment ${id}`);
      runner.cancel(id);
      await runner.now(id, async () => {
        if (status !== 'running') record.status = status;
        await hooks.setRunning(id, status === 'running');
        record.status = status;
      });
    },
    close: () => runner.close(),
  };
}
