import type { Plugin } from 'graphql-yoga';
import { type LimitName, limitError } from './limit-error.ts';
import { measureOperations, type SelectionFold } from './selection-fold.ts';

/**
 * Refuses a document whose measure exceeds `max` before GraphQL validation and execution run: the result is
 * set directly, so no resolver, loader or upstream call ever sees the document. The measure depends on the
 * document alone, so Yoga's validation cache may keep the verdict.
 */
export function useSelectionLimit(limit: LimitName, max: number, fold: SelectionFold): Plugin {
  return {
    onValidate({ params, setResult }) {
      const actual = measureOperations(params.documentAST, fold);
      if (actual > max) setResult([limitError(limit, max, actual)]);
    },
  };
}
