import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Yoga reads a GET request's `variables` and `extensions` with a bare `JSON.parse`, so `?variables=%7B` threw a
 * SyntaxError that came out as INTERNAL_SERVER_ERROR. Malformed parameters are the caller's error
 * (CONTRACT.md §4): 400, BAD_USER_INPUT, and no parser text (it can quote the input back).
 */
export function useParamsSyntax(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError('The request is not valid: variables and extensions must be JSON objects', {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
      });
    },
  };
}
