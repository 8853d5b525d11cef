/** How a GraphQL request ended, as the request log line, the metrics and the operation span all report it. */
import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';

export type OperationOutcome = 'success' | 'partial' | 'error';

/** The distinct `extensions.code` values of the errors, in order (a code-less error counts as an internal one). */
export function errorCodes(errors: readonly GraphQLError[] | undefined): string[] {
  if (!errors || errors.length === 0) return [];
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
}

/** `success`: no error; `partial`: errors beside data; `error`: errors and no data. */
export function operationOutcome(codes: readonly string[], response: GraphQLResponse): OperationOutcome {
  if (codes.length === 0) return 'success';
  return response.body.kind === 'single' && response.body.singleResult.data ? 'partial' : 'error';
}
