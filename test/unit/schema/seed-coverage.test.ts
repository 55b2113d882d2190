import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * docs/seed-coverage.md stays true: no seed endpoint is marked missing, and every field a row names exists in
 * the printed schema (on Deployment, Query, Mutation or the type the row names).
 */

const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
const rows = readFileSync('docs/seed-coverage.md', 'utf8')
  .split('\n')
  .filter((line) => /^\d{3} \| /.test(line))
  .map((line) => line.split(' | '));

const fieldsOf = (type: string) => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
const ROOTS = ['Deployment', 'Query', 'Mutation'];

/** The field names a cell mentions: `Type.field(...)`, `field(...)`, several separated by `,` or `/`. */
function named(text: string): Array<{ type: string | null; field: string }> {
  const cell = text
    .replace(/\([^)]*\)/g, '')
    .replace(/^≈\s*/, '')
    .trim();
  return [...cell.matchAll(/(?:([A-Z]\w*)\.)?([a-z]\w*)(?=\(|\s|,|$)/g)]
    .filter((m) => m.index === 0 || /[\s,/]/.test(cell[m.index - 1] ?? ''))
    .map((m) => ({ type: m[1] ?? null, field: m[2]! }))
    .slice(0, 1 + (cell.match(/,|\//g)?.length ?? 0));
}

describe('docs/seed-coverage.md', () => {
  it('covers the seeds: 130 rows or more, none missing', () => {
    expect(rows.length).toBeGreaterThanOrEqual(130);
    expect(
      rows.filter((row) => /missing/i.test(row[2] ?? '')).map((row) => row.slice(0, 2).join(' ')),
    ).toEqual([]);
  });

  it('names only fields the schema has', () => {
    const unknown: string[] = [];
    for (const row of rows) {
      for (const { type, field } of named(row[2] ?? '')) {
        const where = type ? [type] : ROOTS;
        if (!where.some((t) => schema.getType(t) && fieldsOf(t).includes(field)))
          unknown.push(`${row[1]} → ${type ?? ''}.${field}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
