/** Tokens of the rule-engine SQL subset. */
export type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'op'; text: string }
  | { kind: 'punct'; text: ',' | '(' | ')' | '*' };

export class SqlSyntaxError extends Error {}

const OPERATORS = ['>=', '<=', '!=', '<>', '=~', '=', '>', '<'];
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_.$[\]]/;

function readQuoted(sql: string, start: number): { text: string; end: number } {
  const quote = sql[start];
  let i = start + 1;
  let text = '';
  while (i < sql.length && sql[i] !== quote) {
    if (sql[i] === '\\' && i + 1 < sql.length) i++;
    text += sql[i];
    i++;
  }
  if (i >= sql.length) throw new SqlSyntaxError(`unterminated string at ${start}`);
  return { text, end: i + 1 };
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      const { text, end } = readQuoted(sql, i);
      tokens.push({ kind: 'string', text });
      i = end;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(sql.slice(i));
      tokens.push({ kind: 'number', value: Number(match?.[0]) });
      i += match?.[0].length ?? 1;
    } else if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && IDENT_PART.test(sql[end] ?? '')) end++;
      tokens.push({ kind: 'ident', text: sql.slice(i, end) });
      i = end;
    } else if (ch === ',' || ch === '(' || ch === ')' || ch === '*') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (!op) throw new SqlSyntaxError(`unexpected character '${ch}' at ${i}`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}
