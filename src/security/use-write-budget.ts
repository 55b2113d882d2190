import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.ts';
import { operationWrites } from './write-count.ts';

export interface WriteBudgetOptions {
  /**
   * Upstream writes one request may cause: every item of a batch 1, every other mutation field 1, a dry
   * run 0 (write-count.ts).
   * @default 100
   */
  maxWritesPerRequest: number;
}

/**
 * Refuses a mutation request that could cause more writes than the budget, whole and before any resolver
 * runs: aliases let one request kick or publish thousands of times. Like the cost limit it runs at execute
 * time because the count depends on the variables (`clientIds: $ids`).
 */
export function useWriteBudget({ maxWritesPerRequest }: WriteBudgetOptions): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const writes = operationWrites({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName,
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
      });
      if (writes > maxWritesPerRequest)
        setResultAndStopExecution({
          errors: [limitError('maxWritesPerRequest', maxWritesPerRequest, writes)],
        });
    },
  };
}
