import type { Plugin } from 'graphql-yoga';
import { isRefused, type LimitName, limitError, refuse } from './limit-error.ts';
import { measureOperations, type SelectionFold } from './selection-fold.ts';

/**
 * Refuses a document whose measure exceeds `max` before GraphQL validation and execution run: the result is
 * set directly, so no resolver, loader or upstream call ever sees the document. The measure depends on the
 * document alone, so Yoga's validation cache may keep the verdict.
 */
export function useSelectionLimit(limit: LimitName, max: number, fold: SelectionFold): Plugin {
  return {
    onValidate({ context, params, setResult }) {
      if (isRefused(context)) return;
      const actual = measureOperations(params.documentAST, fold);
      if (actual > max) refuse(context, setResult, limitError(limit, max, actual));
    },
  };
}
