import { minifyIntrospectionQuery } from '@urql/introspection';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';

/** A gateway's introspection (it answers while INTROSPECTION=true). Fetch it at build time, and save what you need. */
export async function fetchIntrospection(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const { data } = (await response.json()) as { data: IntrospectionQuery };
  return data;
}

/** relay-compiler's `schema` file (SDL). */
export const relaySchema = (introspection: IntrospectionQuery) => printSchema(buildClientSchema(introspection));

/** Graphcache's `schema` option. */
export const graphcacheSchema = (introspection: IntrospectionQuery) => minifyIntrospectionQuery(introspection);
