import { randomBytes } from 'node:crypto';
import { topicMatches } from '../topic.ts';
import { runAction } from './run-actions.ts';
import { runSelect, SqlEvalError } from './sql-eval.ts';
import { parseRuleSql, type SelectStatement } from './sql-parse.ts';
import {
  RULE_METRIC_NAMES,
  type Rule,
  type RuleActionRunner,
  type RuleDefinition,
  type RuleEvent,
  type RuleMetricName,
  type RuleMetrics,
} from './types.ts';

export type RuleSaveResult = { ok: true; rule: Rule } | { ok: false; reason: string };
export type RuleTestResult =
  | { ok: true; output: Record<string, unknown> }
  | { ok: false; reason: 'no_match' | string };

/** The rule engine: rules with their parsed SQL and metrics, applied to every published message and event. */
export interface RuleEngine {
  list(): Rule[];
  get(id: string): Rule | undefined;
  /** Fails when the id exists or the SQL does not parse. An empty `id` gets a random 8-hex one. */
  create(definition: Omit<RuleDefinition, 'id'> & { id?: string }): RuleSaveResult;
  /** Creates or replaces (v5 `PUT /rules/{id}` in 5.x upserts), keeping `createdAt` and metrics. */
  upsert(definition: RuleDefinition): RuleSaveResult;
  delete(id: string): boolean;
  metrics(id: string): RuleMetrics | undefined;
  resetMetrics(id: string): boolean;
  /** Runs the SQL against one event without touching any rule or metric (`/rule_test`). */
  test(sql: string, event: RuleEvent): RuleTestResult;
  /** Applies every enabled rule whose FROM matches the event. */
  process(event: RuleEvent): void;
}

const emptyMetrics = (): RuleMetrics =>
  Object.fromEntries(RULE_METRIC_NAMES.map((name) => [name, 0])) as RuleMetrics;

/** A FROM entry matches message topics by wildcard and event names (`$events/...`) exactly. */
export function fromMatches(from: string, source: string): boolean {
  if (from.startsWith('$events/')) return from === source;
  return !source.startsWith('$events/') && topicMatches(from, source);
}

function parse(sql: string): { ok: true; statement: SelectStatement } | { ok: false; reason: string } {
  try {
    return { ok: true, statement: parseRuleSql(sql) };
  } catch (error) {
    return { ok: false, reason: `SQL syntax error: ${(error as Error).message}` };
  }
}

export function createRuleEngine(now: () => number, runner: RuleActionRunner): RuleEngine {
  const rules = new Map<string, { rule: Rule; statement: SelectStatement; metrics: RuleMetrics }>();
  const bump = (metrics: RuleMetrics, name: RuleMetricName) => {
    metrics[name]++;
  };

  function save(definition: RuleDefinition): RuleSaveResult {
    const parsed = parse(definition.sql);
    if (!parsed.ok) return parsed;
    const previous = rules.get(definition.id);
    const at = now();
    const rule: Rule = {
      ...definition,
      from: parsed.statement.from,
      createdAt: previous?.rule.createdAt ?? at,
      lastModifiedAt: at,
    };
    rules.set(rule.id, { rule, statement: parsed.statement, metrics: previous?.metrics ?? emptyMetrics() });
    return { ok: true, rule };
  }

  function apply(entry: { rule: Rule; statement: SelectStatement; metrics: RuleMetrics }, event: RuleEvent) {
    const { rule, metrics } = entry;
    bump(metrics, 'matched');
    let output: Record<string, unknown> | null;
    try {
      output = runSelect(entry.statement, event.columns);
    } catch (error) {
      bump(metrics, 'failed');
      bump(metrics, error instanceof SqlEvalError ? 'failed.exception' : 'failed.unknown');
      return;
    }
    if (output === null) return;
    bump(metrics, 'passed');
    for (const action of rule.actions) {
      bump(metrics, 'actions.total');
      const ok = runAction(rule, action, output, runner);
      bump(metrics, ok ? 'actions.success' : 'actions.failed');
      if (!ok)
        bump(
          metrics,
          action.kind === 'reference' ? 'actions.failed.out_of_service' : 'actions.failed.unknown',
        );
    }
  }

  return {
    list: () => [...rules.values()].map((e) => e.rule),
    get: (id) => rules.get(id)?.rule,
    create(definition) {
      const id = definition.id ?? randomBytes(4).toString('hex');
      if (id === '') return { ok: false, reason: 'empty rule id is not allowed' };
      if (rules.has(id)) return { ok: false, reason: 'rule id already exists' };
      return save({ ...definition, id });
    },
    upsert: save,
    delete: (id) => rules.delete(id),
    metrics: (id) => rules.get(id)?.metrics,
    resetMetrics(id) {
      const entry = rules.get(id);
      if (entry) entry.metrics = emptyMetrics();
      return entry !== undefined;
    },
    test(sql, event) {
      const parsed = parse(sql);
      if (!parsed.ok) return parsed;
      if (!parsed.statement.from.some((f) => fromMatches(f, event.source)))
        return { ok: false, reason: 'no_match' };
      try {
        const output = runSelect(parsed.statement, event.columns);
        return output === null ? { ok: false, reason: 'no_match' } : { ok: true, output };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    },
    process(event) {
      for (const entry of rules.values()) {
        if (!entry.rule.enable || event.republishedBy === entry.rule.id) continue;
        if (entry.statement.from.some((f) => fromMatches(f, event.source))) apply(entry, event);
      }
    },
  };
}
