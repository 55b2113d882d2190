// Renders GraphiQL with the options the gateway put in the page, and shows the token hint whenever the
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
      if (typeof active[key] === 'string') localStorage.setItem(`graphiql:${key}`, active[key]);
      else localStorage.removeItem(`graphiql:${key}`);
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
