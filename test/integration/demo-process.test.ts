import { afterEach, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/process.ts';
import { freePort } from '../helpers/redis.ts';

/** `npm run demo` and `npm run sim` as a person starts them: their own processes, the ports they are given. */

type Script = ReturnType<typeof runScript>;

describe('demo and simulator processes', () => {
  const started: Script[] = [];
  const run = (script: string, env: Record<string, string>) => {
    const process = runScript(script, env);
    started.push(process);
    return process;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((process) => process.stop()));
  });

  it('npm run demo serves the platform API on SIM_PORT and the gateway on PORT', async () => {
    const [simPort, port] = [await freePort(), await freePort()];
    const demo = run('src/demo.ts', { SIM_PORT: String(simPort), PORT: String(port), HOST: '127.0.0.1' });
    const [, platformUrl] = await demo.line(/Simulated platform API: (\S+)/);
    expect(platformUrl).toBe(`http://127.0.0.1:${simPort}/public_api/v1`);
    // Without credentials the simulated platform answers 401: it is this demo's simulator that listens.
    expect((await fetch(`${platformUrl}/projects`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await demo.stop()).toBe(0);
  });

  it('npm run sim serves the platform API on SIM_PORT', async () => {
    const simPort = await freePort();
    const sim = run('src/simulator/main.ts', { SIM_PORT: String(simPort) });
    const [, platformUrl] = await sim.line(/Platform API\s+(\S+)/);
    expect(platformUrl).toBe(`http://127.0.0.1:${simPort}/public_api/v1`);
    expect((await fetch(`${platformUrl}/projects`)).status).toBe(401);
  });
});
