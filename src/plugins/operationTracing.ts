/**
 * The OpenTelemetry span of each GraphQL operation (tracing/requestSpans.ts starts it under the caller's
 * `traceparent`): named `<type> <name>` once the operation is known, with its outcome and error codes, ended with the
 * response. Installed only when tracing is on. The document itself is not recorded: literals can hold secrets.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import { endOperationSpan } from '../pipeline/report.js';
import { errorCodes, operationOutcome } from './outcome.js';

export function operationTracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const span = contextValue.spans?.startOperation();
      if (!span) return;
      return {
        async willSendResponse({ operation, operationName, errors, response }) {
          const codes = errorCodes(errors);
          endOperationSpan(span, {
            type: operation?.operation,
            name: operationName,
            codes,
            outcome: operationOutcome(codes, response),
          });
        },
      };
    },
  };
}
