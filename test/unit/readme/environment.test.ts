import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README documents every environment variable the code reads (the list is taken from the code, so a new
 * one without a README line fails here; settings.test.ts does the same for the settings).
 */

const ROOT = new URL('../../../', import.meta.url).pathname;
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

describe('README', () => {
  it('names every environment variable the code reads', () => {
    const names = environmentVariables();
    expect(names).toEqual(
      expect.arrayContaining(['GATEWAY_ADMIN_TOKEN', 'PORT', 'SIM_GATEWAY_CONFIG', 'SIM_PORT']),
    );
    expect(names.filter((name) => !README.includes(`\`${name}\``))).toEqual([]);
  });
});
