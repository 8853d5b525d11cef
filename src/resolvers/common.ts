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

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A point in time, ISO 8601 in UTC.',
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

export const commonResolvers = {
  DateTime,
  Mutation: {
    _ping: () => true,
  },
} satisfies Resolvers;
