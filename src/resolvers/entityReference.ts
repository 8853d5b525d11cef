/**
 * Federation reference resolution (`_entities`): a representation whose object the upstream does not know resolves
 * to null with a NOT_FOUND error at its path, naming the type and the key it was asked by, so that a router and its
 * client can tell "gone" from "broken". (By-id root fields answer a plain null instead: absence is their answer.)
 * Keys are upstream identifiers (ids, guids, names, hosts, namespaces), never credentials.
 */
import { GraphQLError } from 'graphql';

export async function entityOrNotFound<T>(
  typename: string,
  key: Record<string, string | null>,
  entity: Promise<T | null | undefined>,
): Promise<T> {
  const found = await entity;
  if (found !== null && found !== undefined) return found;
  const described = Object.entries(key)
    .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
    .join(', ');
  throw new GraphQLError(`No ${typename} with ${described}`, {
    extensions: { code: 'NOT_FOUND', typename, key },
  });
}
