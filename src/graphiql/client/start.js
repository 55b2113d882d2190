// Renders GraphiQL with the options the gateway put in the page, and shows the token hint whenever the
// GraphQL endpoint answers 401 (no token, or one the gateway does not know) instead of leaving only a raw
// error in the result pane and an empty docs explorer.
(() => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
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
