/**
 * What errors look like on the way out. Errors raised on purpose (GraphQLErrors with a code: upstream failures, bad
 * input, Apollo's own parse and validation errors) pass through. Anything else is a bug: it is reported to
 * `onUnexpected` with its stack, and the client sees only "Internal server error" unless in explicit development mode.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export interface FormatErrorOptions {
  development: boolean;
  onUnexpected?: (error: unknown) => void;
}

export function createFormatError(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const deliberate = original instanceof GraphQLError && !original.originalError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (deliberate) return options.development ? formatted : withoutStacktrace(formatted);
    options.onUnexpected?.(original);
    if (options.development) return formatted;
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
