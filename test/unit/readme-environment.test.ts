import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';

/**
 * The README documents every environment variable the code reads and every setting of the configuration
 * file: both lists are taken from the code, so a new one without a README line fails here.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `env.NAME`, `process.env.NAME` and the keys of zod's environment schema (`NAME: z.`) in src/. */
function environmentVariables(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]{2,})\b/g)) names.add(match[1]!);
  }
  const config = readFileSync(join(ROOT, 'src/config.ts'), 'utf8');
  const envSchema = config.slice(
    config.indexOf('const envSchema'),
    config.indexOf('});', config.indexOf('const envSchema')),
  );
  for (const match of envSchema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(match[1]!);
  return [...names].sort();
}

/** Dotted paths of every leaf of a parsed configuration with its defaults filled in. */
function settingPaths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    settingPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe('README', () => {
  it('names every environment variable the code reads', () => {
    const names = environmentVariables();
    expect(names).toEqual(
      expect.arrayContaining(['GATEWAY_ADMIN_TOKEN', 'PORT', 'SIM_GATEWAY_CONFIG', 'SIM_PORT']),
    );
    expect(names.filter((name) => !README.includes(`\`${name}\``))).toEqual([]);
  });

  it('names every setting of the configuration file', () => {
    const config = parseConfig(
      {
        platform: { apiUrl: 'https://x.example/public_api/v1', apiKey: 'k', apiSecret: 's' },
        auth: { apiKeys: [] },
      },
      { GATEWAY_CONFIG_FILE: 'test' },
    );
    const { port, host, redisUrl, logLevel, deployments, auth, ...file } = config;
    const paths = settingPaths(file);
    expect(paths).toEqual(expect.arrayContaining(['cache.brokerStaleTtlSeconds', 'security.query.maxCost']));
    // Each path's last name in the README, as a settings table entry or a key of the documented JSON.
    const missing = paths.filter((path) => {
      const name = path.split('.').at(-1)!;
      return (
        !README.includes(`\`${path}\``) && !README.includes(`\`${name}\``) && !README.includes(`"${name}"`)
      );
    });
    expect(missing).toEqual([]);
  });
});
