import { readFileSync, writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from '../src/schema/index.ts';

/** Prints the SDL to schema/schema.graphql; with --check, fails when the committed file differs. */
const target = new URL('../schema/schema.graphql', import.meta.url);
const sdl = `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {}
  if (committed !== sdl) {
    console.error('schema/schema.graphql is out of date: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  writeFileSync(target, sdl);
  console.log('wrote schema/schema.graphql');
}
