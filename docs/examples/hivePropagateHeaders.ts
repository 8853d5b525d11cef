/** Hive Gateway's `propagateHeaders` option: each caller's imagegraph credential headers, to imagegraph alone. */
const IMAGEGRAPH_CREDENTIAL_HEADERS = [
  'x-cycle-authorization',
  'x-cycle-hub-id',
  'x-cf-authorization',
  'x-dockercloud-authorization',
];

export const propagateHeaders = {
  fromClientToSubgraphs({ request, subgraphName }: { request: Request; subgraphName: string }) {
    const headers: Record<string, string> = {};
    if (subgraphName !== 'imagegraph') return headers;
    for (const name of IMAGEGRAPH_CREDENTIAL_HEADERS) {
      const value = request.headers.get(name);
      if (value) headers[name] = value;
    }
    return headers;
  },
};
