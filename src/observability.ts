import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.ts';
import type { QuotaGuard } from './store/quotas.ts';

/**
 * Counts every executed GraphQL operation by type (query, mutation) and outcome: `ok`, `partial` (data with
 * errors, e.g. one failing deployment) or `error` (no data).
 */
export function useOperationMetrics(metrics: Metrics): Plugin {
  return {
    onExecute({ args }) {
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result) return;
          const outcome = !result.errors?.length ? 'ok' : result.data ? 'partial' : 'error';
          metrics.operations.inc({ type, outcome });
        },
      };
    },
  };
}

/** Reads the fleet-wide quotas on every scrape, so the gauge is as current as the shared store. */
export function collectQuotaGauge(metrics: Metrics, quotas: QuotaGuard): void {
  metrics.setQuotaCollector(async () => {
    for (const quota of await quotas.snapshot()) {
      metrics.quotaRemaining.set({ endpoint: quota.endpoint }, quota.remaining);
    }
  });
}
