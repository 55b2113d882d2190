import type { Aedes } from 'aedes';
import { publishFromApi } from './messaging.ts';
import type { RuleActionRunner } from './rules/types.ts';
import type { CoreState } from './state.ts';

/** Console output of rules, kept so tests and the API can see what a `console` action printed. */
export const CONSOLE_LOG_MAX = 100;

/**
 * Real side effects for rule actions: `republish` publishes through aedes (marked so the same rule does
 * not fire on its own output), `console` records the output, references to data-integration actions go to
 * `reference` (v5 actions send for real; an unknown or disabled one fails, which EMQX counts as
 * `actions.failed.out_of_service`).
 */
export function createRuleActionRunner(
  state: CoreState,
  broker: () => Aedes | null,
  reference: RuleActionRunner['reference'],
): RuleActionRunner & {
  consoleLog: { ruleId: string; output: Record<string, unknown> }[];
} {
  const consoleLog: { ruleId: string; output: Record<string, unknown> }[] = [];
  return {
    consoleLog,
    republish(message, ruleId) {
      const running = broker();
      if (!running) throw new Error('broker is not running');
      void publishFromApi(state, running, message, { republishedBy: ruleId, fromClientId: null }).catch(
        () => {},
      );
    },
    console(ruleId, output) {
      consoleLog.push({ ruleId, output });
      if (consoleLog.length > CONSOLE_LOG_MAX) consoleLog.shift();
    },
    reference,
  };
}
