// Starts GraphiQL on /graphql. A file, not an inline script, so the page's CSP can forbid inline script.
// Anonymous callers get no introspection: put "Authorization": "Bearer <token>" in the Headers tab.
(function start() {
  'use strict';
  const mount = document.getElementById('graphiql');
  const fetcher = GraphiQL.createFetcher({ url: mount.dataset.endpoint });
  ReactDOM.createRoot(mount).render(React.createElement(GraphiQL, {
    fetcher,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultQuery: '# Sign in (mutation login) and put the token in Headers:\n# {"Authorization": "Bearer ..."}\n{\n  me {\n    username\n  }\n}\n',
  }));
}());
