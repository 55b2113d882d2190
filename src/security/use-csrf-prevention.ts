import type { Plugin } from 'graphql-yoga';

export interface CsrfPreventionOptions {
  /**
   * Headers that a browser cannot send cross-site without a CORS preflight; any one of them, non-empty,
   * marks a request as not forged.
   * @default ['x-graphql-csrf', 'graphql-require-preflight', 'apollo-require-preflight']
   */
  requestHeaders: string[];
}

/** Content types a cross-site HTML form or `fetch` without preflight may send. */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

const BODY = JSON.stringify({
  errors: [
    {
      message:
        'This request has no header that a browser would have preflighted (Authorization, Content-Type: application/json, or X-GraphQL-CSRF), so it was refused as a possible cross-site request forgery',
      extensions: { code: 'FORBIDDEN' },
    },
  ],
});

/**
 * Refuses requests a malicious page could make a browser send without asking (simple form posts, GETs):
 * the danger is a gateway without auth on a developer's loopback, or a browser holding a token. A request is
 * let through when it carries Authorization, a non-simple Content-Type, or one of `requestHeaders` — each
 * forces a preflight that the CORS policy then decides. The GraphiQL page itself is served before this runs.
 */
export function useCsrfPrevention({ requestHeaders }: CsrfPreventionOptions): Plugin {
  return {
    onRequest({ request, endResponse }) {
      const headers = request.headers;
      if (headers.get('authorization')) return;
      if (requestHeaders.some((name) => headers.get(name))) return;
      const contentType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (contentType && !SIMPLE_TYPES.has(contentType)) return;
      endResponse(new Response(BODY, { status: 403, headers: { 'content-type': 'application/json' } }));
    },
  };
}
