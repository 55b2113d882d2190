import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, HAS_TASKSET } from './processes.ts';

/**
 * A redis-server for the bench (loopback, nothing persisted, on core 1 with the simulator) that counts the
 * commands clients send it. INFO commandstats (and total_commands_processed) also count what a Lua script runs
 * inside its one round trip (a scope read is one EVALSHA running two GETs), so round trips are counted with
 * MONITOR, whose lines mark script-internal commands with the source "lua"; commandstats gives the breakdown.
 */
export interface BenchRedis {
  url: string;
  /** Client commands (round trips; a pipeline would count each) and commands by name since the last reset. */
  counts(): Promise<{ roundTrips: number; byCommand: Record<string, number> }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const OWN = new Set(['info', 'config', 'monitor', 'echo', 'ping']);

export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const argv = HAS_TASKSET ? ['taskset', '-c', '1', 'redis-server', ...args] : ['redis-server', ...args];
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { retryStrategy: (times) => (times > 100 ? null : 50) });
  await admin.ping();
  let roundTrips = 0;
  const marks = new Map<string, () => void>();
  // monitor() opens its own connection; the admin connection stays usable.
  const monitor = await admin.monitor();
  monitor.on('monitor', (_time: string, command: string[], source: string) => {
    const name = String(command[0] ?? '').toLowerCase();
    if (name === 'echo') marks.get(String(command[1]))?.();
    if (source === 'lua' || OWN.has(name)) return;
    roundTrips++;
  });
  /** Resolves once MONITOR has shown every command Redis ran before this call. */
  async function settled() {
    const mark = randomUUID();
    const seen = new Promise<void>((resolve) => marks.set(mark, resolve));
    await admin.echo(mark);
    await seen;
    marks.delete(mark);
  }
  return {
    url,
    async counts() {
      await settled();
      const info = await admin.info('commandstats');
      const byCommand: Record<string, number> = {};
      for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        const name = match[1]!;
        if (!OWN.has(name.split('|')[0]!)) byCommand[name] = Number(match[2]);
      }
      return { roundTrips, byCommand };
    },
    async reset() {
      await settled();
      await admin.config('RESETSTAT');
      roundTrips = 0;
    },
    async stop() {
      monitor.disconnect();
      admin.disconnect();
      child.kill('SIGTERM');
    },
  };
}
