/**
 * Adds `extensions.upstream = {calls, requests}` to every response when UPSTREAM_TRACE is on: how many upstream
 * requests the operation cost, and which. Paths only: no query strings, no headers. A path holds the ids the client
 * sent, so it is scrubbed of the request's secrets like an error is (a client may pass a credential as an id).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';

export function upstreamTracePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !contextValue?.trace) return;
          const result = response.body.singleResult;
          const { calls, requests } = contextValue.trace.toExtension();
          const scrubbed = requests.map((request) => ({
            ...request,
            path: contextValue.secrets.scrubPath(request.path),
          }));
          result.extensions = { ...result.extensions, upstream: { calls, requests: scrubbed } };
        },
      };
    },
  };
}
