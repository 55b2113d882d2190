import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The processes under test run alone on core 0 (`taskset -c 0`); the simulator and the load generator
 * share core 1. CPU per request is read from /proc (user + system ticks) of the process under test.
 */

const ROOT = new URL('../', import.meta.url).pathname;
export const HAS_TASKSET = existsSync('/usr/bin/taskset');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Moves this process (simulator + load generator) to core 1. */
export function pinSelf(): void {
  if (HAS_TASKSET) spawn('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

export interface BenchProcess {
  url: string;
  pid: number;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident set size now, MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
}

export function writeJson(name: string, document: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emqx-bench-')), name);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

async function waitForHttp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited: ${output.join('')}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url}: ${output.join('')}`);
}

/** Starts `node --import tsx <script>` on core 0 with `env`, and waits until GET /healthz answers. */
export async function startPinned(
  script: string,
  env: Record<string, string>,
  port: number,
): Promise<BenchProcess> {
  const node = [process.execPath, '--import', 'tsx', join(ROOT, script)];
  const [command, ...args] = HAS_TASKSET ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child, output);
  const pid = child.pid as number;
  return {
    url,
    pid,
    cpuSeconds() {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    rssMiB() {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
      return line ? Math.round(Number(line[1]) / 1024) : 0;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
