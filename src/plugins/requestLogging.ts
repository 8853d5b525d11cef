/**
 * One log line per GraphQL operation (operation, outcome, duration, upstream calls, request id, and each error's
 * code, path, upstream, upstream status and upstream code), and unexpected errors with their stack, each scrubbed of
 * the request's secrets. Requests refused before the GraphQL pipeline are logged by http/requestLog.ts. `upstreamRequestLogger` writes the
 * upstream request lines at debug level, one per exchange as it ends (each retry attempt too), so that a request
 * that hangs shows its attempts before it is answered.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
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

/** Most errors one line details; the count of the others is logged beside them. */
const MAX_LOGGED_ERRORS = 20;

/** One error of a request line: what an operator needs to say why, and nothing a client sent. */
export interface LoggedError {
  code: string;
  /** The response path, dot-separated (`images.nodes.0.source`); absent for request-level errors. */
  path?: string;
  upstream?: string;
  upstreamStatus?: number;
  upstreamCode?: string;
}

/**
 * The operations whose line was written, by their context's trace: Apollo runs each operation on a shallow copy of
 * the context it was given, so the copy's members, not the copy, identify the context that http/graphql.ts made.
 */
const loggedContexts = new WeakSet<Context['trace']>();

/** True when the GraphQL pipeline wrote this operation's line (http/graphql.ts then writes no HTTP line for it). */
export function wasLoggedAsGraphQL(context: Context): boolean {
  return loggedContexts.has(context.trace);
}

/** The errors as the client received them (masked, scrubbed), else as raised; each reduced to its LoggedError. */
function loggedErrors(
  response: GraphQLResponse,
  raised: readonly GraphQLError[] | undefined,
  context: Context,
): LoggedError[] {
  const sent: readonly GraphQLFormattedError[] | undefined =
    response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
  const errors: readonly GraphQLFormattedError[] = sent ?? raised?.map((e) => e.toJSON()) ?? [];
  return errors.slice(0, MAX_LOGGED_ERRORS).map((error) => {
    const ext = error.extensions ?? {};
    const logged: LoggedError = { code: String(ext.code ?? 'INTERNAL_SERVER_ERROR') };
    if (error.path) logged.path = error.path.join('.');
    if (typeof ext.upstream === 'string') logged.upstream = ext.upstream;
    if (typeof ext.status === 'number') logged.upstreamStatus = ext.status;
    if (typeof ext.upstreamCode === 'string')
      logged.upstreamCode = context.secrets.scrub(ext.upstreamCode).slice(0, 100);
    return logged;
  });
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
          const details = loggedErrors(response, errors, context);
          const errorCount =
            response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) : (errors?.length ?? 0);
          loggedContexts.add(context.trace);
          lines.info(
            {
              requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              outcome: operationOutcome(codes, response),
              durationMs: Math.round((performance.now() - started) * 100) / 100,
              upstreamCalls: context.trace.calls,
              errorCodes: codes,
              ...(details.length > 0 ? { errors: details } : {}),
              ...(errorCount > details.length ? { errorsNotShown: errorCount - details.length } : {}),
              ...(context.spans ? { traceId: context.spans.traceId } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
