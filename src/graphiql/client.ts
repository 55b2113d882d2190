/**
 * The page's own script and style files, kept as text here so that they ship with the compiled gateway
 * (dist/ holds only what tsc emits). Served by assets.ts under /graphiql/ like the package's files.
 */

/** Runs before the GraphiQL bundle. */
export const SETUP_JS = `// Runs before the GraphiQL bundle: Monaco reads MonacoEnvironment when it loads, and its workers must come
// from this gateway (the page's Content-Security-Policy allows no other origin and no blob: workers).
(() => {
  const base = new URL('.', document.currentScript.src).href;
  const workers = {
    editorWorkerService: 'editor.worker.js',
    json: 'json.worker.js',
    graphql: 'graphql.worker.js',
  };
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: (_moduleId, label) => base + (workers[label] ?? workers.editorWorkerService),
  };
})();
`;

/** Runs after the GraphiQL bundle. */
export const START_JS = `// Renders GraphiQL with the options the gateway put in the page, and shows the token hint whenever the
// GraphQL endpoint answers 401 (no token, or one the gateway does not know) instead of leaving only a raw
// error in the result pane and an empty docs explorer.
(() => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const gateway = JSON.parse(document.getElementById('gateway-options').textContent);
  // Saved tabs would bring back headers with a token this gateway no longer knows (the demo's change per run).
  const EPOCH_KEY = 'gateway:storage-epoch';
  if (gateway.storageEpoch && localStorage.getItem(EPOCH_KEY) !== gateway.storageEpoch) {
    for (const key of Object.keys(localStorage)) if (key.startsWith('graphiql')) localStorage.removeItem(key);
    localStorage.setItem(EPOCH_KEY, gateway.storageEpoch);
  }
  // On a reload GraphiQL looks for the saved active tab by its query, variables and headers as saved under
  // their own keys, which it never writes; finding none, it opens an empty tab and makes it the active one.
  // Saving them from the active tab lets it find that tab again.
  const saved = JSON.parse(localStorage.getItem('graphiql:tabState') ?? 'null');
  const active = saved?.tabs?.[saved.activeTabIndex];
  if (active) {
    for (const key of ['query', 'variables', 'headers']) {
      if (typeof active[key] === 'string') localStorage.setItem('graphiql:' + key, active[key]);
      else localStorage.removeItem('graphiql:' + key);
    }
  }
  const hint = document.getElementById('graphiql-hint');
  const endpoint = new URL(options.endpoint, location.href).href;
  const send = window.fetch.bind(window);
  window.fetch = (input, init) =>
    send(input, init).then((response) => {
      const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
      if (new URL(url, location.href).href === endpoint) hint.hidden = response.status !== 401;
      return response;
    });
  document.getElementById('graphiql-hint-close').addEventListener('click', () => {
    hint.hidden = true;
  });
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

/** The token hint's look. */
export const PAGE_CSS = `/* The token hint floats over the bottom of the result pane, so the editor keeps its layout and buttons. */
.gateway-hint {
  position: fixed;
  bottom: 24px;
  right: 24px;
  z-index: 1000;
  max-width: min(560px, calc(100vw - 48px));
  padding: 12px 40px 12px 16px;
  border-radius: 8px;
  background: #fff7e0;
  color: #3d2e00;
  border: 1px solid #e5b700;
  box-shadow: 0 4px 16px rgb(0 0 0 / 18%);
  font:
    14px / 1.5 system-ui,
    sans-serif;
}
.gateway-hint[hidden] {
  display: none;
}
.gateway-hint code {
  font:
    13px ui-monospace,
    monospace;
  background: rgb(0 0 0 / 6%);
  padding: 1px 4px;
  border-radius: 4px;
}
.gateway-hint button {
  position: absolute;
  top: 8px;
  right: 8px;
  border: 0;
  background: none;
  font-size: 18px;
  cursor: pointer;
  color: inherit;
}
`;
