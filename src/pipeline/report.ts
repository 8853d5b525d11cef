/**
 * How an operation is reported, whatever its transport: the error-level line of an unexpected error (a bug, never a
 * client's mistake), and the end of its OpenTelemetry operation span. HTTP reports through Apollo's plugins
 * (requestLogging.ts, operationTracing.ts), subscriptions through operations.ts: both call these.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../logging.js';
import type { OperationOutcome } from '../plugins/outcome.js';
import { withoutSerializedValue } from '../scalarSerialization.js';
import type { SecretSet } from '../secrets.js';
import {
  ATTR_ERROR_CODES,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
  ATTR_OUTCOME,
} from '../tracing/requestSpans.js';

/**
 * Logs each error without a code or with INTERNAL_SERVER_ERROR, with its stack, scrubbed of the request's secrets
 * and of any value a scalar could not serialize.
 */
export function logUnexpectedErrors(
  logger: Logger,
  requestId: string,
  errors: readonly GraphQLError[],
  secrets: SecretSet,
): void {
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') continue;
    const cause = error.originalError ?? error;
    const message = withoutSerializedValue(cause.message, cause.message);
    const stack = withoutSerializedValue(cause.stack ?? '', cause.message);
    logger.error(
      {
        requestId,
        err: { type: cause.name, message: secrets.scrub(message), stack: secrets.scrub(stack) },
        path: error.path,
      },
      'unexpected error',
    );
  }
}

export interface OperationReport {
  type: string | undefined;
  name: string | null | undefined;
  codes: readonly string[];
  outcome: OperationOutcome;
}

/** Names the operation span `<type> <name>`, records its outcome and error codes, and ends it. */
export function endOperationSpan(span: Span, { type, name, codes, outcome }: OperationReport): void {
  if (type) span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
  if (name) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
  span.updateName(type ? (name ? `${type} ${name}` : type) : 'GraphQL Operation');
  span.setAttribute(ATTR_OUTCOME, outcome);
  if (codes.length > 0) span.setAttribute(ATTR_ERROR_CODES, [...codes]);
  if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
