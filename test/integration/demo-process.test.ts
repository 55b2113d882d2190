import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/process.ts';
import { freePort } from '../helpers/redis.ts';

/** `npm run demo` and `npm run sim` as a person starts them: their own processes, the ports they are given. */

type Script = ReturnType<typeof runScript>;

describe('demo and simulator processes', { timeout: 120_000 }, () => {
  const started: Script[] = [];
  const run = (script: string, env: Record<string, string>) => {
    const process = runScript(script, env);
    started.push(process);
    return process;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((process) => process.stop()));
  });

  it('npm run demo honours SIM_PORT, PORT and GATEWAY_ADMIN_TOKEN, and prints credentials that work', async () => {
    const [simPort, port] = [await freePort(), await freePort()];
    const admin = 'admin-token-from-the-environment';
    const demo = run('src/demo.ts', {
      SIM_PORT: String(simPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_ADMIN_TOKEN: admin,
    });
    const [, platformUrl, key, secret] = await demo.line(
      /Simulated platform API\s+(\S+)\s+key (\S+)\s+secret (\S+)/,
    );
    expect(platformUrl).toBe(`http://127.0.0.1:${simPort}/public_api/v1`);
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    expect(
      (await fetch(`${platformUrl}/deployments`, { headers: { authorization: basic(key!, secret!) } }))
        .status,
    ).toBe(200);
    expect((await demo.line(/^\s+admin\s+(\S+)/))[1]).toBe(admin);

    // A running deployment's printed App ID / App Secret open its broker API.
    const [, apiUrl, appId, appSecret] = await demo.line(
      /broker API\s+(\S+\/api\/v5)\s+App ID (\S+)\s+App Secret (\S+)/,
    );
    expect(
      (await fetch(`${apiUrl}/nodes`, { headers: { authorization: basic(appId!, appSecret!) } })).status,
    ).toBe(200);

    // The printed curl line, run by a shell exactly as printed, answers with the deployments.
    const [curl] = await demo.line(/^\s+curl -s http:\/\/\S+\/graphql .*/);
    const { stdout } = await promisify(execFile)('sh', ['-c', curl!.trim()]);
    expect(JSON.parse(stdout).data.deployments.edges.length).toBeGreaterThan(0);

    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/graphql"');
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
