/**
 * Adds `extensions.upstream = {calls, requests}` to every response when UPSTREAM_TRACE is on: how many upstream
 * requests the operation cost, and which. Paths only: no query strings, no headers.
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
          result.extensions = { ...result.extensions, upstream: contextValue.trace.toExtension() };
        },
      };
    },
  };
}
