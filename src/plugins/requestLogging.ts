/**
 * One log line per GraphQL request (operation, outcome, duration, upstream calls, error codes, request id), and
 * unexpected errors with their stack, each scrubbed of the request's secrets. `upstreamRequestLogger` writes the
 * upstream request lines at debug level, one per exchange as it ends (each retry attempt too), so that a request
 * that hangs shows its attempts before it is answered.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import { flatLineLogger, type Logger } from '../logging.js';
import { logUnexpectedErrors } from '../pipeline/report.js';
import type { TracedUpstreamRequest } from '../upstreams/shared/trace.js';
import { errorCodes, operationOutcome } from './outcome.js';

/** The debug line of one upstream exchange (no query string, no headers: see UpstreamTrace). */
export function upstreamRequestLogger(logger: Logger): (requestId: string, call: TracedUpstreamRequest) => void {
  const lines = flatLineLogger(logger);
  return (requestId, call) =>
    lines.debug(
      {
        requestId,
        upstream: call.upstream,
        method: call.method,
        path: call.path,
        status: call.status,
        durationMs: call.durationMs,
      },
      'upstream request',
    );
}

export function requestLoggingPlugin(logger: Logger): ApolloServerPlugin<Context> {
  const lines = flatLineLogger(logger);
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const requestId = contextValue.requestId;
      return {
        async didEncounterErrors({ errors, contextValue: context }) {
          logUnexpectedErrors(logger, requestId, errors, context.secrets);
        },
        async willSendResponse({ contextValue: context, response, operation, operationName, errors }) {
          const codes = errorCodes(errors);
          lines.info(
            {
              requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              outcome: operationOutcome(codes, response),
              durationMs: Math.round((performance.now() - started) * 100) / 100,
              upstreamCalls: context.trace.calls,
              errorCodes: codes,
              ...(context.spans ? { traceId: context.spans.traceId } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
