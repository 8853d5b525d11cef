/**
 * The OpenTelemetry span of each GraphQL operation (tracing/requestSpans.ts starts it under the caller's
 * `traceparent`): named `<type> <name>` once the operation is known, with its outcome and error codes, ended with the
 * response. Installed only when tracing is on. The document itself is not recorded: literals can hold secrets.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Context } from '../context.js';
import {
  ATTR_ERROR_CODES,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
  ATTR_OUTCOME,
} from '../tracing/requestSpans.js';
import { errorCodes, operationOutcome } from './outcome.js';

export function operationTracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const span = contextValue.spans?.startOperation();
      if (!span) return;
      return {
        async willSendResponse({ operation, operationName, errors, response }) {
          const type = operation?.operation;
          if (type) span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
          if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
          span.updateName(type ? (operationName ? `${type} ${operationName}` : type) : 'GraphQL Operation');
          const codes = errorCodes(errors);
          const outcome = operationOutcome(codes, response);
          span.setAttribute(ATTR_OUTCOME, outcome);
          if (codes.length > 0) span.setAttribute(ATTR_ERROR_CODES, codes);
          if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
}
