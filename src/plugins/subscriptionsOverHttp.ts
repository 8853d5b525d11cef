/**
 * Subscriptions run over WebSocket or SSE (src/subscriptions/), never as one HTTP answer: a subscription posted as a
 * plain GraphQL request is refused with a clear error and the way to run it, before any resolver runs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

export function subscriptionsOverHttpPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served at /graphql over WebSocket (graphql-ws, subprotocol graphql-transport-ws) or Server-Sent Events (graphql-sse: send Accept: text/event-stream)',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
