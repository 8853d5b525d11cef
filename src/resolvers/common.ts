/** Scalars and root fields shared by every domain. */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers-types.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time such as 2024-03-13T15:01:39Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/**
 * What the SDL promises: UTC, second precision (`2024-03-13T15:01:39Z`). Upstreams send milliseconds or offsets
 * (`2026-12-02T01:40:55.596Z`); those are normalized (fractions truncated, so a time never moves into the future).
 * A value that is not a date-time fails its own field, without the value in the error.
 */
export function serializeDateTime(value: unknown): string {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    // Not quoted: the value is an upstream's and may be large or carry a credential.
    throw new GraphQLError('The upstream sent a DateTime that is not a date-time');
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// No description here: the SDL's (schema/common.graphql) is the one description, at runtime too.
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

export const commonResolvers = {
  DateTime,
  Mutation: {
    _ping: () => true,
  },
} satisfies Resolvers;
