import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config.ts';
import { settingPaths } from '../../../src/validation/unknown-keys.ts';

/**
 * The README's settings tables list every setting the configuration file accepts (a setting only the code
 * knows is one nobody can find). A table row documents `a.b.c` when it names the full path, or names an
 * ancestor (`a.b.…`, where `<id>`-style placeholders stand for record keys) and the leaf `c` in backticks.
 */
const rows = readFileSync('README.md', 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('|'));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const segmentPattern = (segment: string) =>
  segment === '<key>' ? '<[\\w-]+>' : `(?:${escapeRegExp(segment)}|<[\\w-]+>)`;

function documented(path: string): boolean {
  const segments = path.split('.');
  const leaf = segments.at(-1)!.replace('[]', '');
  return rows.some((row) => {
    if (row.includes(`\`${path}`)) return true;
    if (!row.includes(`\`${leaf}\``) && !row.includes(`.${leaf}\``)) return false;
    return segments.slice(0, -1).some((_, i) => {
      const ancestor = segments
        .slice(0, i + 1)
        .map(segmentPattern)
        .join('\\.');
      return new RegExp(`\`${ancestor}[.\`]`).test(row);
    });
  });
}

describe('the README settings tables', () => {
  it('name every setting of the configuration file', () => {
    const missing = settingPaths(configFileSchema).filter((path) => !documented(path));
    expect(missing).toEqual([]);
  });
});
