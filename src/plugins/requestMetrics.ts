/** Counts and times every GraphQL operation by name, type and outcome (observability/metrics.ts). */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { errorCodes, operationOutcome } from './outcome.js';

export function requestMetricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, errors, response }) {
          metrics.graphqlRequest(
            operationName,
            operation?.operation,
            operationOutcome(errorCodes(errors), response),
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}
