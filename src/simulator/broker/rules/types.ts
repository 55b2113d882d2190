import type { Qos } from '../types.ts';

/** What a rule does with its SELECT output. */
export type RuleAction =
  | { kind: 'republish'; args: RepublishArgs }
  | { kind: 'console' }
  /** A data-integration action/bridge referenced by id (`http:my_action` in v5, an action id in v4). */
  | { kind: 'reference'; ref: string };

/** Templates (`${payload.x}`) are rendered from the rule output. */
export interface RepublishArgs {
  topic: string;
  /** A number or a template such as `${qos}`. */
  qos: Qos | string;
  retain: boolean | string;
  /** Empty means "the whole SELECT output as JSON", as in EMQX. */
  payload: string;
}

export interface RuleDefinition {
  id: string;
  name: string;
  sql: string;
  actions: RuleAction[];
  enable: boolean;
  description: string;
  /** Version-specific fields an API layer keeps with the rule (v5 `metadata`, v4 action ids); the core never reads them. */
  extra: Record<string, unknown>;
}

export interface Rule extends RuleDefinition {
  /** Topic filters and `$events/...` names from the SQL's FROM clause. */
  from: string[];
  createdAt: number;
  lastModifiedAt: number;
}

export const RULE_METRIC_NAMES = [
  'matched',
  'passed',
  'failed',
  'failed.exception',
  'failed.unknown',
  'actions.total',
  'actions.success',
  'actions.failed',
  'actions.failed.out_of_service',
  'actions.failed.unknown',
  'actions.discarded',
] as const;

export type RuleMetricName = (typeof RULE_METRIC_NAMES)[number];
export type RuleMetrics = Record<RuleMetricName, number>;

/** One event the rule engine sees: columns as EMQX names them (`clientid`, `payload`, `topic`, ...). */
export interface RuleEvent {
  /** `message.publish`, `client.connected`, ... */
  event: string;
  /** The topic a FROM clause matches against: the message topic, or `$events/client_connected` etc. */
  source: string;
  columns: Record<string, unknown>;
  /** Set on messages a rule republished, so that rule does not loop on its own output. */
  republishedBy?: string;
}

/** Side effects of actions, provided by the core. */
export interface RuleActionRunner {
  republish(message: { topic: string; payload: Buffer; qos: Qos; retain: boolean }, ruleId: string): void;
  console(ruleId: string, output: Record<string, unknown>): void;
  /** Whether a referenced action exists and accepted the output. */
  reference(ref: string, output: Record<string, unknown>): boolean;
}
