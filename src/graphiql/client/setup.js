// Runs before the GraphiQL bundle: Monaco reads MonacoEnvironment when it loads, and its workers must come
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
