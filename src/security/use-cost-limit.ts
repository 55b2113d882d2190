import type { Plugin } from 'graphql-yoga';
import type { CostContext } from './field-cost.ts';
import { limitError } from './limit-error.ts';
import { type OperationCostInput, operationCost } from './operation-cost.ts';

export interface CostLimitOptions {
  /**
   * Largest estimated cost of one operation: 1 for every object it may return and every connection it reads,
   * scalars free, a connection's items counted by its requested page size (10 for other lists); see
   * field-cost.ts.
   * @default 10000
   */
  maxCost: number;
  /**
   * How many deployments the caller of a request can see (the cached catalog, read once per request). Asked
   * only for an operation with a `deployments` page that gives no `first`; without it such a page counts 20.
   */
  visibleDeployments?: (context: unknown) => Promise<number>;
}

/** What every executed response reports in `extensions.cost` (Shopify's `extensions.cost` in spirit). */
export interface CostReport {
  requested: number;
  limit: number;
}

/**
 * Refuses expensive operations after validation and before any resolver runs, and reports the estimate on
 * every response it lets through. It runs at execute time rather than as a validation rule because the cost
 * depends on the variables (`first: $n`) and on what the caller can see, while Yoga caches validation verdicts
 * by document alone.
 */
export function useCostLimit({ maxCost, visibleDeployments }: CostLimitOptions): Plugin {
  async function estimate(input: Omit<OperationCostInput, 'context'>, requestContext: unknown) {
    const context: CostContext = {};
    const first = operationCost({ ...input, context });
    if (first === null || !context.wanted || !visibleDeployments) return first;
    // The catalog read the operation is about to make anyway (memoised per request, cached fleet-wide). When it
    // fails, the default page stands and the resolver reports the failure.
    context.visibleDeployments = await visibleDeployments(requestContext).catch(() => undefined);
    return context.visibleDeployments === undefined ? first : operationCost({ ...input, context });
  }

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const cost = await estimate(
        {
          schema: args.schema,
          document: args.document,
          operationName: args.operationName,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
        },
        args.contextValue,
      );
      if (cost === null) return;
      const report: CostReport = { requested: cost, limit: maxCost };
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [limitError('maxCost', maxCost, cost)],
          extensions: { cost: report },
        });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          setResult({ ...result, extensions: { ...result.extensions, cost: report } });
        },
      };
    },
  };
}
