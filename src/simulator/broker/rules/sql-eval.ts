import { topicMatches } from '../topic.ts';
import type { Expr, SelectStatement } from './sql-parse.ts';

/** Raised while evaluating (EMQX counts these under `failed.exception`). */
export class SqlEvalError extends Error {}

export type Columns = Record<string, unknown>;

function decodeIfJson(value: unknown): unknown {
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return value;
  try {
    return JSON.parse(value.toString());
  } catch {
    return undefined;
  }
}

/** Reads `a.b.c` from the columns, decoding a JSON payload on the way as EMQX does for `payload.x`. */
export function readPath(columns: Columns, path: string[]): unknown {
  let value: unknown = columns;
  for (const [i, key] of path.entries()) {
    if (i > 0 && (typeof value === 'string' || Buffer.isBuffer(value))) value = decodeIfJson(value);
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  upper: (s) => String(s).toUpperCase(),
  lower: (s) => String(s).toLowerCase(),
  str: (v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)),
  int: (v) => Math.trunc(Number(v)),
  float: (v) => Number(v),
  abs: (v) => Math.abs(Number(v)),
  concat: (a, b) => `${a}${b}`,
  json_decode: (v) => decodeIfJson(v),
  json_encode: (v) => JSON.stringify(v),
};

function comparable(a: unknown, b: unknown): [unknown, unknown] {
  const numeric = (v: unknown) => typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v));
  if (typeof a === 'number' && numeric(b)) return [a, Number(b)];
  if (typeof b === 'number' && numeric(a)) return [Number(a), b];
  return [a, b];
}

function compare(op: string, left: unknown, right: unknown): boolean {
  if (op === '=~') return topicMatches(String(right), String(left));
  const [a, b] = comparable(left, right);
  if (op === '=') return a === b;
  if (op === '!=' || op === '<>') return a !== b;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== typeof b) throw new SqlEvalError(`cannot compare ${typeof a} with ${typeof b}`);
  const [x, y] = [a as number | string, b as number | string];
  if (op === '>') return x > y;
  if (op === '<') return x < y;
  if (op === '>=') return x >= y;
  return x <= y;
}

export function evaluate(expr: Expr, columns: Columns): unknown {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'path':
      return readPath(columns, expr.path);
    case 'compare':
      return compare(expr.op, evaluate(expr.left, columns), evaluate(expr.right, columns));
    case 'and':
      return evaluate(expr.left, columns) === true && evaluate(expr.right, columns) === true;
    case 'or':
      return evaluate(expr.left, columns) === true || evaluate(expr.right, columns) === true;
    case 'not':
      return evaluate(expr.expr, columns) !== true;
    case 'call': {
      const fn = FUNCTIONS[expr.name];
      if (!fn) throw new SqlEvalError(`unknown function ${expr.name}`);
      return fn(...expr.args.map((a) => evaluate(a, columns)));
    }
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/** The SELECT output for these columns, or null when the WHERE clause does not hold. */
export function runSelect(statement: SelectStatement, columns: Columns): Record<string, unknown> | null {
  if (statement.where && evaluate(statement.where, columns) !== true) return null;
  if (statement.fields === '*') return { ...columns };
  const output: Record<string, unknown> = {};
  for (const field of statement.fields) {
    const value = evaluate(field.expr, columns);
    if (value !== undefined) setPath(output, field.as, value);
  }
  return output;
}
