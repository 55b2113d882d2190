import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { version } from '../../src/version.ts';

it('src/version.ts says the version package.json says', () => {
  expect(version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
});
