import { createHash } from 'node:crypto';

/**
 * `GET /`: a small page for a person who opens the gateway's address, pointing to GraphiQL (when it is on),
 * the probes and the metrics. Static, so it needs no token and tells nothing about the fleet.
 */

const STYLE =
  'body{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}' +
  'code{font:14px ui-monospace,monospace;background:#f1f3f5;padding:1px 4px;border-radius:4px}' +
  'li{margin:.3rem 0}';

// The one inline style is allowed by its hash; nothing else may load.
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const LANDING_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function renderLandingPage({ graphiql }: { graphiql: boolean }): string {
  const explore = graphiql
    ? '<li><a href="/graphql">GraphiQL</a>: write and run queries, browse the schema in the docs explorer</li>'
    : '<li>GraphiQL is turned off on this gateway (<code>security.graphiql</code>)</li>';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>EMQX Cloud gateway</title>
    <style>${STYLE}</style>
  </head>
  <body>
    <h1>EMQX Cloud gateway</h1>
    <p>A GraphQL API over the EMQX Cloud platform and each deployment's EMQX broker, at <code>POST /graphql</code>
      with the header <code>Authorization: Bearer &lt;token&gt;</code>.</p>
    <ul>
      ${explore}
      <li><a href="/healthz">/healthz</a>: liveness, 200 while the process runs</li>
      <li><a href="/readyz">/readyz</a>: readiness, 503 while starting, draining or without its shared store</li>
      <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
    </ul>
  </body>
</html>
`;
}
