import { BREAK, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isRefused, limitError, refuse } from './limit-error.ts';

export interface DirectiveLimitOptions {
  /**
   * Directives anywhere in one document (`@include`, `@skip`, and any unknown ones before validation refuses them).
   * @default 20
   */
  maxDirectives: number;
}

/** Refuses directive floods before GraphQL validation has to check each one. Stops counting at the limit. */
export function useDirectiveLimit({ maxDirectives }: DirectiveLimitOptions): Plugin {
  return {
    onValidate({ context, params, setResult }) {
      if (isRefused(context)) return;
      let count = 0;
      visit(params.documentAST, {
        Directive() {
          count += 1;
          return count > maxDirectives ? BREAK : undefined;
        },
      });
      if (count > maxDirectives) refuse(context, setResult, limitError('maxDirectives', maxDirectives));
    },
  };
}
