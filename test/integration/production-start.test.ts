import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { type GatewayProcess, spawnGateway } from '../helpers/process.ts';
import { stackConfig } from '../helpers/stack.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Tools that must never reach production: a TypeScript runtime, the compiler, the simulator's broker. */
const DEV_ONLY = ['tsx', 'esbuild', 'typescript', 'aedes', 'vitest', '@biomejs/biome'];

/** The CMD of the Dockerfile's last stage, the gateway image, as the exec-form JSON array it is. */
function imageCommand(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m);
  const cmd = /^CMD (\[.*\])$/m.exec(stages.at(-1) ?? '');
  if (!cmd?.[1]) throw new Error('the last Dockerfile stage has no exec-form CMD');
  return JSON.parse(cmd[1]) as string[];
}

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsFiles(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the production start command, without an image', () => {
  let sim: Simulator;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT });
    sim = await createSimulator();
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await sim?.close();
  });

  it('has no TypeScript runtime or simulator in the production dependency tree', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT });
    const installed = stdout.split('\n').map((path) => path.split('node_modules/').at(-1));
    for (const tool of DEV_ONLY) expect(installed).not.toContain(tool);
  });

  it('the built gateway imports nothing but Node built-ins and production dependencies', () => {
    const allowed = new Set([...Object.keys(packageJson.dependencies), ...builtinModules]);
    const imported = new Set<string>();
    for (const file of jsFiles(join(ROOT, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/^(?:import|export)\b[^;]*?from ['"]([^'".][^'"]*)['"]/gm))
        imported.add(packageOf(specifier!.replace(/^node:/, '')));
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !allowed.has(name))).toEqual([]);
    expect(readdirSync(join(ROOT, 'dist'))).not.toContain('simulator');
  });

  it('starts with the image’s command and answers a GraphQL query against the simulator', async () => {
    const [binary, ...args] = imageCommand();
    expect(binary).toBe('node');
    expect(args.join(' ')).not.toMatch(/tsx|--import|--loader|\.ts\b/);
    const tokens = {
      viewer: 'v'.repeat(20),
      operator: 'o'.repeat(20),
      admin: 'a'.repeat(20),
      stagingOperator: 's'.repeat(20),
    };
    gateway = await spawnGateway(stackConfig(sim, tokens), { NODE_ENV: 'production' }, args);
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.viewer}` },
      body: JSON.stringify({ query: '{ deployments { totalCount } }' }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.deployments.totalCount).toBe(sim.deployments().length);
    expect(await gateway.stop()).toBe(0);
  });
});
