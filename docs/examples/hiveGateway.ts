/**
 * Hive Gateway options for imagegraph (JS or Rust query planner): each caller's imagegraph credential headers and the
 * router's own gateway token, to imagegraph alone, on queries (`propagateHeaders`) and on the WebSocket that runs
 * subscriptions (`connectionParams`, which `propagateHeaders` does not reach). `x-imagegraph-router` tells imagegraph
 * that the request comes through a router: it then refuses to answer one without credentials from its service account.
 */
const IMAGEGRAPH_CREDENTIAL_HEADERS = [
  'x-cycle-authorization',
  'x-cycle-hub-id',
  'x-cf-authorization',
  'x-dockercloud-authorization',
];

/** `gatewayToken`: one of imagegraph's GATEWAY_TOKENS (e.g. `process.env.IMAGEGRAPH_GATEWAY_TOKEN`). */
export function imagegraphGatewayOptions(gatewayToken: string) {
  const routerHeaders = { authorization: `Bearer ${gatewayToken}`, 'x-imagegraph-router': 'hive-gateway' };
  const connectionParams: Record<string, string> = { ...routerHeaders };
  for (const name of IMAGEGRAPH_CREDENTIAL_HEADERS) connectionParams[name] = `{context.headers.${name}}`;
  return {
    propagateHeaders: {
      fromClientToSubgraphs({ request, subgraphName }: { request: Request; subgraphName: string }) {
        if (subgraphName !== 'imagegraph') return {};
        const headers: Record<string, string> = { ...routerHeaders };
        for (const name of IMAGEGRAPH_CREDENTIAL_HEADERS) {
          const value = request.headers.get(name);
          if (value) headers[name] = value;
        }
        return headers;
      },
    },
    transportEntries: {
      imagegraph: {
        options: { subscriptions: { kind: 'ws', location: '/graphql', options: { connectionParams } } },
      },
    },
  };
}
