import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.ts';
import { operationCost } from './operation-cost.ts';

export interface CostLimitOptions {
  /**
   * Largest estimated cost of one operation: every field 1, its selections counted once per item it may
   * return (a connection's requested page size, 10 for other lists); see field-cost.ts.
   * @default 10000
   */
  maxCost: number;
}

/**
 * Refuses expensive operations after validation and before any resolver runs. It runs at execute time rather
 * than as a validation rule because the cost depends on the variables (`first: $n`) and Yoga caches
 * validation verdicts by document alone.
 */
export function useCostLimit({ maxCost }: CostLimitOptions): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName,
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        context: args.contextValue,
      });
      if (cost !== null && cost > maxCost)
        setResultAndStopExecution({ errors: [limitError('maxCost', maxCost, cost)] });
    },
  };
}
