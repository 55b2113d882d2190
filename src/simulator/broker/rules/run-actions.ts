import type { Qos } from '../types.ts';
import { renderTemplate, renderValue } from './template.ts';
import type { RepublishArgs, Rule, RuleAction, RuleActionRunner } from './types.ts';

function toQos(value: unknown): Qos {
  const n = Number(value);
  if (n === 0 || n === 1 || n === 2) return n;
  throw new Error(`bad qos ${String(value)}`);
}

function toRetain(value: unknown): boolean {
  return value === true || value === 'true' || value === 1;
}

function renderRepublish(args: RepublishArgs, output: Record<string, unknown>) {
  const payload = args.payload === '' ? JSON.stringify(output) : renderTemplate(args.payload, output);
  return {
    topic: renderTemplate(args.topic, output),
    payload: Buffer.from(payload),
    qos: toQos(renderValue(args.qos, output)),
    retain: toRetain(renderValue(args.retain, output)),
  };
}

/** Runs one action; false means it failed (counted under `actions.failed`). */
export function runAction(
  rule: Rule,
  action: RuleAction,
  output: Record<string, unknown>,
  runner: RuleActionRunner,
): boolean {
  try {
    if (action.kind === 'republish') runner.republish(renderRepublish(action.args, output), rule.id);
    else if (action.kind === 'console') runner.console(rule.id, output);
    else return runner.reference(action.ref, output);
    return true;
  } catch {
    return false;
  }
}
