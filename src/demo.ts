import { demoBanner } from './demo/banner.ts';
import { demoLogStream } from './demo/logs.ts';
import { type Demo, startDemo } from './demo/start.ts';
import { simPortFromEnv } from './simulator/env.ts';

/**
 * `npm run demo`: the EMQX Cloud simulator (platform API, one broker per running deployment, v4 and v5, and
 * devices publishing telemetry) and the gateway wired to it with the in-memory cache, in one process. It
 * prints where to go and every credential; Enter prints that again, Ctrl-C stops everything.
 */

function why(error: unknown): string {
  const failure = error as NodeJS.ErrnoException;
  if (failure.code === 'EADDRINUSE') {
    return `${failure.message}: set PORT (the gateway) or SIM_PORT (the simulated platform) to a free port, or 0 for any`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main() {
  const env = process.env;
  const logLevel = env.LOG_LEVEL || 'info';
  let demo: Demo;
  try {
    demo = await startDemo({
      host: env.HOST || '127.0.0.1',
      port: env.PORT ? Number(env.PORT) : 4000,
      simPort: simPortFromEnv(env, 0),
      env,
      logLevel,
      logDestination: demoLogStream(process.stdout.isTTY === true),
    });
  } catch (error) {
    console.error(`The demo cannot start. ${why(error)}`);
    process.exit(1);
  }
  const banner = () => console.log(demoBanner(demo, logLevel));
  banner();
  // Log lines scroll the banner away; Enter brings it back (a line typed at the terminal is all we read).
  if (process.stdin.isTTY) process.stdin.on('data', banner);

  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
