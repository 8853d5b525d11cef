/**
 * What errors look like on the way out. Errors raised on purpose (GraphQLErrors with a code: upstream failures, bad
 * input, Apollo's own parse and validation errors) pass through. Anything else is a bug: the client sees only
 * "Internal server error" unless in explicit development mode (requestLoggingPlugin logs it with its stack); even
 * then a value a scalar could not serialize is not shown (scalarSerialization.ts).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { valueFreeSerializationMessage, withoutSerializedValue } from './scalarSerialization.js';

export interface FormatErrorOptions {
  development: boolean;
  /** Drop graphql-js's "Did you mean …?" hints, which reveal field names when introspection is off. */
  hideSuggestions: boolean;
  /** Told of every unexpected error (tests use it to fail on any). */
  onUnexpected?: (error: unknown) => void;
}

export function createFormatError(options: FormatErrorOptions) {
  return (given: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const formatted = withLimitCode(options.hideSuggestions ? withoutSuggestions(given) : given);
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const deliberate = original instanceof GraphQLError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (deliberate) return options.development ? formatted : withoutStacktrace(formatted);
    if (isCodelessRequestError(original)) {
      const badRequest = { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
      return options.development ? badRequest : withoutStacktrace(badRequest);
    }
    options.onUnexpected?.(original);
    if (options.development) return withoutSerializedValueIn(formatted);
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Development mode shows an unexpected error's message and stack, but never a value a scalar could not hold. */
function withoutSerializedValueIn(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message;
  if (valueFreeSerializationMessage(message) === undefined) return formatted;
  const stacktrace = formatted.extensions?.stacktrace;
  return {
    ...formatted,
    message: withoutSerializedValue(message, message),
    extensions: {
      ...formatted.extensions,
      ...(Array.isArray(stacktrace)
        ? { stacktrace: stacktrace.map((line) => withoutSerializedValue(String(line), message)) }
        : {}),
    },
  };
}

/**
 * Request limits get codes of their own: validation rules tag theirs with `extensions.limit` (Apollo sets every
 * validation error's code to GRAPHQL_VALIDATION_FAILED), and graphql-js reports the token limit as a syntax error.
 */
function withLimitCode(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const { limit, ...rest } = extensions as { limit?: unknown } & Record<string, unknown>;
  if (typeof limit === 'string')
    return {
      ...formatted,
      message: formatted.message.replace(/^Syntax Error: /, ''),
      extensions: { ...rest, code: limit },
    };
  if (extensions.code === 'GRAPHQL_PARSE_FAILED' && /contains more th\w+ \d+ tokens/.test(formatted.message)) {
    return { ...formatted, extensions: { ...extensions, code: 'TOO_MANY_TOKENS' } };
  }
  return formatted;
}

/**
 * Apollo answers some protocol errors with a 4xx status but no code (persisted queries: "provided sha does not match
 * query", "Unsupported persisted query version"): the client's mistake, not a bug, so they keep their message.
 */
function isCodelessRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return formatted.message.includes('Did you mean')
    ? { ...formatted, message: formatted.message.replace(/ ?Did you mean .+\?$/, '') }
    : formatted;
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
