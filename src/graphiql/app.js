// GraphiQL bootstrap (served as /graphiql/assets/app.js; plain browser JavaScript, no build step).
// Reads its settings from the JSON block the page embeds, so the page needs no inline script (CSP: script-src 'self').
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('imagegraph-settings').textContent);

  function fetcher(params, options) {
    var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) {
      headers[name] = extra[name];
    });
    return fetch(settings.endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params) }).then(function (response) {
      return response.json();
    });
  }

  // Subscriptions go over WebSocket (graphql-ws) to the same endpoint; the headers editor's headers travel in the
  // connection_init payload (a browser cannot set WebSocket headers). One connection per set of headers.
  var wsClients = {};
  function wsClient(headers) {
    var key = JSON.stringify(headers);
    if (!wsClients[key]) {
      var url = new URL(settings.endpoint, window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      wsClients[key] = graphqlWs.createClient({ url: url.href, connectionParams: headers, lazy: true });
    }
    return wsClients[key];
  }

  function isSubscription(documentAST, operationName) {
    var operations = ((documentAST && documentAST.definitions) || []).filter(function (d) {
      return d.kind === 'OperationDefinition';
    });
    var chosen = operations.filter(function (d) {
      return operationName ? d.name && d.name.value === operationName : operations.length === 1;
    })[0];
    return Boolean(chosen && chosen.operation === 'subscription');
  }

  function subscribe(params, headers) {
    return {
      subscribe: function (observer) {
        var stop = wsClient(headers).subscribe(params, {
          next: function (value) {
            observer.next(value);
          },
          error: function (error) {
            observer.error(error instanceof Error ? error : { errors: Array.isArray(error) ? error : [error] });
          },
          complete: function () {
            observer.complete();
          },
        });
        return { unsubscribe: stop };
      },
    };
  }

  function graphiqlFetcher(params, options) {
    if (isSubscription(options && options.documentAST, params.operationName))
      return subscribe(params, (options && options.headers) || {});
    return fetcher(params, options);
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: graphiqlFetcher,
      defaultTabs: settings.tabs,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
})();
