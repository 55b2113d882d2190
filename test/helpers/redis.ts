import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A real redis-server started for one test file on a free loopback port, persisting nothing. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** What every test server shares: loopback only, nothing written to disk, in the foreground. */
const EPHEMERAL = { bind: '127.0.0.1', save: '', appendonly: 'no', daemonize: 'no' };

/** `{ port: 7001 }` → `['--port', '7001', …]`, with the ephemeral settings added. */
export const toArgs = (settings: Record<string, string | number>) =>
  Object.entries({ ...EPHEMERAL, ...settings }).flatMap(([name, value]) => [`--${name}`, String(value)]);

/**
 * Spawns `redis-server args` and resolves once its log shows `readyText` (a server's "Ready to accept
 * connections", a sentinel's "+monitor"); rejects with the log if it exits first (a port taken meanwhile).
 */
export async function spawnRedisServer(
  args: string[],
  readyText = 'Ready to accept connections',
): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`redis-server exited with ${code}: ${output}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) {
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
    child.once('error', reject);
  });
  return child;
}

/** Stops a child started here and waits for it to be gone; a no-op when it already exited. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/**
 * Picks a free port and starts a server on it with `argsFor(port)`, trying again on a new port when
 * another process took it between the probe and the bind.
 */
export async function launchOnFreePort(
  argsFor: (port: number) => string[],
  readyText?: string,
): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      return { port, child: await spawnRedisServer(argsFor(port), readyText) };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

const standaloneArgs = (port: number) => toArgs({ port });

export async function startRedis(): Promise<TestRedis> {
  const started = await launchOnFreePort(standaloneArgs);
  const { port } = started;
  let child: ChildProcess = started.child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stopChild(child, 'SIGKILL'),
    restart: async () => {
      await stopChild(child, 'SIGKILL');
      child = await spawnRedisServer(standaloneArgs(port));
    },
    stop: () => stopChild(child),
  };
}
