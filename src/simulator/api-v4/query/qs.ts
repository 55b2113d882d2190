import { paramPairs, type V4Params } from '../http/params.ts';
import { HandlerCrash } from '../http/reply.ts';

/** Value types of an EMQX 4.4 query-string schema (`?CLIENT_QS_SCHEMA` and friends). */
export type QsType = 'binary' | 'atom' | 'integer' | 'timestamp' | 'ip';

export type QsOp = '=:=' | '>=' | '=<' | 'like' | 'match';

/** One compiled condition; `value` is converted (`timestamp` to ms, `ip` to its numeric parts). */
export interface QsCondition {
  readonly key: string;
  readonly op: QsOp;
  readonly value: unknown;
}

export interface CompiledQs {
  /** Number of filters: `count` in the page meta is -1 whenever this is not 0. */
  readonly filterCount: number;
  readonly exact: readonly QsCondition[];
  readonly fuzzy: readonly QsCondition[];
}

/** `throw({bad_value_type, {Key, Type, Value}})`; only the clients API turns it into code 108. */
export class BadValueType extends Error {
  constructor(
    readonly key: string,
    readonly type: QsType,
    readonly raw: unknown,
  ) {
    super(`Can't convert ${erlangTerm(raw)} to ${type} type`);
    this.name = 'BadValueType';
  }
}

/** `emqx_mgmt_api:params2qs/2`. */
export function compileQs(params: V4Params, schema: Readonly<Record<string, QsType>>): CompiledQs {
  const pending = paramPairs(params);
  const exact: QsCondition[] = [];
  const fuzzy: QsCondition[] = [];
  while (pending.length > 0) {
    const [key, value] = pending.shift()!;
    const type = schema[key];
    if (type === undefined) continue;
    const range = /^_(gte|lte)_(.+)$/.exec(key);
    if (range) {
      const opposite = `_${range[1] === 'gte' ? 'lte' : 'gte'}_${range[2]}`;
      const index = pending.findIndex(([other]) => other === opposite);
      exact.push(condition(key, value, type));
      if (index >= 0) exact.push(condition(opposite, pending.splice(index, 1)[0]![1], type));
    } else if (/^_(like|match)_/.test(key)) {
      fuzzy.push(condition(key, value, type));
    } else {
      exact.push(condition(key, value, type));
    }
  }
  const exactKeys = new Set(exact.map((item) => item.key));
  const keptFuzzy = fuzzy.filter((item) => !exactKeys.has(item.key));
  return { filterCount: countEntries(exact) + keptFuzzy.length, exact, fuzzy: keptFuzzy };
}

/** A `_gte_`/`_lte_` pair on one key counts as a single entry, as in EMQX. */
function countEntries(exact: readonly QsCondition[]): number {
  const ranges = new Set(exact.filter((item) => item.op !== '=:=').map((item) => item.key));
  return exact.filter((item) => item.op === '=:=').length + ranges.size;
}

function condition(rawKey: string, raw: unknown, type: QsType): QsCondition {
  const match = /^_(gte|lte|like|match)_(.+)$/.exec(rawKey);
  const ops: Record<string, QsOp> = { gte: '>=', lte: '=<', like: 'like', match: 'match' };
  const key = match ? match[2]! : rawKey;
  const op = match ? ops[match[1]!]! : '=:=';
  return { key, op, value: convertValue(rawKey, raw, type) };
}

const INTEGER = /^[+-]?\d+$/;

function convertValue(key: string, raw: unknown, type: QsType): unknown {
  const bad = () => new BadValueType(key, type, raw);
  switch (type) {
    case 'atom':
      if (typeof raw === 'string' || typeof raw === 'boolean' || raw === null) return String(raw);
      throw bad();
    case 'integer':
    case 'timestamp': {
      const n = typeof raw === 'number' && Number.isInteger(raw) ? raw : null;
      const parsed = n ?? (typeof raw === 'string' && INTEGER.test(raw) ? Number.parseInt(raw, 10) : null);
      if (parsed === null) throw bad();
      return type === 'timestamp' ? parsed * 1000 : parsed;
    }
    case 'ip': {
      const parts = typeof raw === 'string' ? raw.split('.') : [];
      if (parts.length === 0 || !parts.every((part) => INTEGER.test(part))) throw bad();
      return parts.map((part) => Number.parseInt(part, 10));
    }
    default:
      return raw;
  }
}

/** Enough of Erlang's `~p` for the values a query string can carry. */
export function erlangTerm(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? 'undefined';
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.every((byte) => byte >= 32 && byte <= 126)) {
    return `<<"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}">>`;
  }
  return `<<${[...bytes].join(',')}>>`;
}

/** `binary:match(Subject, Pattern) =/= nomatch`; an empty pattern is `badarg` in Erlang. */
export function binaryContains(subject: string, pattern: unknown): boolean {
  if (typeof pattern !== 'string' || pattern === '') throw new HandlerCrash('badarg: binary:match');
  return subject.includes(pattern);
}
