import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.ts';
import { documentNestsDeeper, valueNestsDeeper } from './nesting.ts';

export interface NestingLimitOptions {
  /**
   * Levels of `{`/`[` in a document and of arrays/objects in its variables and extensions. Far above any real
   * query (selection depth has its own, lower limit) and far below where a recursive parser or serialiser
   * would run out of stack: a 10,000-deep `actions` list is refused here instead of crashing a resolver.
   * @default 64
   */
  maxNesting: number;
}

/**
 * Refuses documents and variables that nest too deeply, before they are parsed or coerced. It sits in the parse
 * step because both transports pass through it with their params in the context (HTTP: Yoga's; WebSocket:
 * src/websocket.ts puts the subscribe payload there).
 */
export function useNestingLimit({ maxNesting }: NestingLimitOptions): Plugin {
  return {
    onParse({ context, params }) {
      const { variables, extensions } = ((context as { params?: GraphQLParams }).params ??
        {}) as GraphQLParams;
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (
        documentNestsDeeper(source, maxNesting) ||
        valueNestsDeeper(variables, maxNesting) ||
        valueNestsDeeper(extensions, maxNesting)
      )
        throw limitError('maxNesting', maxNesting);
    },
  };
}
