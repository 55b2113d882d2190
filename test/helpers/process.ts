import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A gateway running as its own process (`src/server.ts`), as a replica would in production. */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Every stdout/stderr line so far. */
  output: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = new URL('../../', import.meta.url).pathname;

export function writeConfigFile(document: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'emqx-gw-'));
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** How a test starts the gateway: from the sources through tsx (the default), or as the image does. */
export const DEV_COMMAND = ['--import', 'tsx', 'src/server.ts'];

/** Runs `node <args>` (default: the sources through tsx) and collects its output; resolves with the exit code. */
export function runServer(
  env: Record<string, string>,
  args: string[] = DEV_COMMAND,
): {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output, exited };
}

export async function spawnGateway(
  configDocument: unknown,
  env: Record<string, string> = {},
  args: string[] = DEV_COMMAND,
): Promise<GatewayProcess> {
  const { child, output, exited } = runServer(
    { GATEWAY_CONFIG_FILE: writeConfigFile(configDocument), ...env },
    args,
  );
  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      for (const line of output) {
        const match = line.match(/"port":(\d+).*gateway listening/);
        if (match) {
          child.stdout?.off('data', onData);
          return resolve(Number(match[1]));
        }
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => reject(new Error(`gateway exited with ${code}:\n${output.join('\n')}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** A `npm run` entry point (`src/demo.ts`, `src/simulator/main.ts`) as its own process, its output collected. */
export function runScript(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waiters: Array<() => void> = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n'));
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output,
    exited,
    /** Resolves with the first output line matching `pattern`; rejects if the process exits first. */
    line(pattern: RegExp): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const text of output) {
            const match = text.match(pattern);
            if (match) return resolve(match);
          }
        };
        waiters.push(check);
        check();
        void exited.then((code) => reject(new Error(`${script} exited with ${code}:\n${output.join('\n')}`)));
      });
    },
    async stop(): Promise<number | null> {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
