/** Automatic persisted query requests (Apollo's APQ protocol): by hash alone, or registering the query with it. */
import { createHash } from 'node:crypto';
import { postJson, type GraphQLResponse } from './gateway.js';

export function sha256(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

/** Sends the hash, and the query too when `query` is given (a registration). */
export function persistedQuery(
  url: string,
  hash: string,
  query: string | undefined,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  return postJson(
    `${url}/graphql`,
    { ...(query !== undefined ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
    headers,
  );
}
