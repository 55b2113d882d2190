import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.ts';

export interface TokenLimitOptions {
  /**
   * Lexical tokens in one document (comments excluded). The parser stops at the limit, so a huge document
   * costs no more than the limit to refuse.
   * @default 5000
   */
  maxTokens: number;
}

// graphql-js words it "more that N tokens"; match both spellings.
const TOO_MANY = /Document contains more th\w+ \d+ tokens/;

/** Bounds the parser itself: every later step (validation, limits, execution) is linear in the tokens. */
export function useTokenLimit({ maxTokens }: TokenLimitOptions): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens });
        } catch (error) {
          if (error instanceof Error && TOO_MANY.test(error.message))
            throw limitError('maxTokens', maxTokens);
          throw error;
        }
      });
    },
  };
}
