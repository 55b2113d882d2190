import type { GraphiQLOptions } from 'graphql-yoga';
import { ASSET_PREFIX } from './assets.ts';

/**
 * The GraphiQL page: same-origin assets only, options as inert JSON (no inline script), and a hint on how to
 * pass a token that client.ts's start script shows while the endpoint answers 401.
 */

/**
 * Nothing but this origin: a script, style, font, worker or connection to a CDN that crept back would be
 * blocked (and reported in the browser console). Inline styles stay allowed because Monaco creates its
 * style elements at run time; inline scripts do not.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type GraphiQLPageOptions = GraphiQLOptions & { endpoint: string };

export interface GraphiQLPage {
  options: GraphiQLPageOptions;
  /** See GraphiQLCustomization.storageEpoch. */
  storageEpoch?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

// `<` escaped so no string in the options can close the script element.
const inertJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const HINT = `
    <div id="graphiql-hint" class="gateway-hint" role="status" hidden>
      <strong>This gateway needs a token.</strong> Open <em>Headers</em> below the query editor and add
      <code>{"Authorization": "Bearer &lt;your token&gt;"}</code>, then re-fetch the schema
      (<code>Shift-Ctrl-R</code>, or the ↻ button) so the docs explorer loads. <code>npm run demo</code> prints its
      tokens; a deployed gateway takes the keys in <code>auth.apiKeys</code> or a JWT from your identity provider.
      <button type="button" id="graphiql-hint-close" aria-label="Close">×</button>
    </div>`;

export function renderGraphiQLPage({ options, storageEpoch }: GraphiQLPage): string {
  const asset = (name: string) => `${ASSET_PREFIX}${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${asset('favicon.ico')}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <link rel="stylesheet" href="${asset('page.css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>${HINT}
    <div id="root"></div>
    <script id="graphiql-options" type="application/json">${inertJson({ ...options, favicon: asset('favicon.ico') })}</script>
    <script id="gateway-options" type="application/json">${inertJson({ storageEpoch: storageEpoch ?? null })}</script>
    <script src="${asset('setup.js')}"></script>
    <script src="${asset('graphiql.js')}"></script>
    <script src="${asset('start.js')}"></script>
  </body>
</html>
`;
}
