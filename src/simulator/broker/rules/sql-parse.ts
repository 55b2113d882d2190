import { SqlSyntaxError, type Token, tokenize } from './sql-lexer.ts';

export type Expr =
  | { type: 'path'; path: string[] }
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'compare'; op: string; left: Expr; right: Expr }
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'not'; expr: Expr }
  | { type: 'call'; name: string; args: Expr[] };

export interface SelectField {
  expr: Expr;
  /** Output key path: the alias, or the column path itself (`payload.x` nests as EMQX does). */
  as: string[];
}

/** `SELECT <fields|*> FROM "filter"[, ...] [WHERE <condition>]`: the subset the simulator runs. */
export interface SelectStatement {
  fields: SelectField[] | '*';
  from: string[];
  where: Expr | null;
}

const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'as']);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word))
      throw new SqlSyntaxError(`expected ${word.toUpperCase()} at token ${this.pos}`);
    this.pos++;
  }

  statement(): SelectStatement {
    this.expectKeyword('select');
    const fields = this.fields();
    this.expectKeyword('from');
    const from = this.topics();
    let where: Expr | null = null;
    if (this.isKeyword('where')) {
      this.pos++;
      where = this.or();
    }
    if (this.pos < this.tokens.length) throw new SqlSyntaxError(`unexpected token at ${this.pos}`);
    return { fields, from, where };
  }

  private fields(): SelectField[] | '*' {
    if (this.isPunct('*')) {
      this.pos++;
      return '*';
    }
    const fields: SelectField[] = [];
    do {
      if (fields.length > 0) this.pos++;
      const expr = this.primary();
      let as = expr.type === 'path' ? expr.path : [`${fields.length}`];
      if (this.isKeyword('as')) {
        this.pos++;
        as = this.identifier().split('.');
      }
      fields.push({ expr, as });
    } while (this.isPunct(','));
    return fields;
  }

  private topics(): string[] {
    const topics: string[] = [];
    do {
      if (topics.length > 0) this.pos++;
      const t = this.peek();
      if (t?.kind === 'string') topics.push(t.text);
      else if (t?.kind === 'ident' && !KEYWORDS.has(t.text.toLowerCase())) topics.push(t.text);
      else throw new SqlSyntaxError('expected a topic in FROM');
      this.pos++;
    } while (this.isPunct(','));
    return topics;
  }

  private identifier(): string {
    const t = this.peek();
    if (t?.kind !== 'ident') throw new SqlSyntaxError(`expected an identifier at token ${this.pos}`);
    this.pos++;
    return t.text;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.pos++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('and')) {
      this.pos++;
      left = { type: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('not')) {
      this.pos++;
      return { type: 'not', expr: this.not() };
    }
    const left = this.primary();
    const t = this.peek();
    if (t?.kind !== 'op') return left;
    this.pos++;
    return { type: 'compare', op: t.text, left, right: this.primary() };
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw new SqlSyntaxError('unexpected end of SQL');
    this.pos++;
    if (t.kind === 'string') return { type: 'literal', value: t.text };
    if (t.kind === 'number') return { type: 'literal', value: t.value };
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.or();
      if (!this.isPunct(')')) throw new SqlSyntaxError('expected )');
      this.pos++;
      return inner;
    }
    if (t.kind !== 'ident' || KEYWORDS.has(t.text.toLowerCase())) {
      throw new SqlSyntaxError(`unexpected token at ${this.pos - 1}`);
    }
    const lower = t.text.toLowerCase();
    if (lower === 'true' || lower === 'false') return { type: 'literal', value: lower === 'true' };
    if (lower === 'null' || lower === 'undefined') return { type: 'literal', value: null };
    if (this.isPunct('(')) return { type: 'call', name: lower, args: this.args() };
    return { type: 'path', path: t.text.split('.') };
  }

  private args(): Expr[] {
    this.pos++;
    const args: Expr[] = [];
    while (!this.isPunct(')')) {
      if (args.length > 0) {
        if (!this.isPunct(',')) throw new SqlSyntaxError('expected , between arguments');
        this.pos++;
      }
      args.push(this.or());
    }
    this.pos++;
    return args;
  }
}

/** Parses the rule SQL; throws {@link SqlSyntaxError} with a readable reason. */
export function parseRuleSql(sql: string): SelectStatement {
  return new Parser(tokenize(sql)).statement();
}

export { SqlSyntaxError };
