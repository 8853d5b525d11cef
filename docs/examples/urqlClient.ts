import { Client, fetchExchange } from '@urql/core';
import { cacheExchange, type KeyingConfig } from '@urql/exchange-graphcache';
import type { IntrospectionQuery } from 'graphql';

/** What `npm run client-config` prints and `/client-config.json` serves (the parts Graphcache reads). */
interface ImagegraphKeys {
  typePolicies: Record<string, { keyFields: string[] }>;
  embeddedTypes: string[];
}

/** `schema`: what `graphcacheSchema` (schemaFiles.ts) made. */
export function createUrqlClient(url: string, config: ImagegraphKeys, schema: IntrospectionQuery) {
  const keys: KeyingConfig = {};
  for (const [type, { keyFields }] of Object.entries(config.typePolicies))
    keys[type] = (data) => JSON.stringify(keyFields.map((field) => data[field] ?? null));
  // Types without an identity are stored inside their parent; saying so keeps Graphcache from warning.
  for (const type of config.embeddedTypes) keys[type] = () => null;
  return new Client({
    url,
    // With the schema, Graphcache matches fragments on interfaces exactly instead of guessing.
    exchanges: [cacheExchange({ keys, schema }), fetchExchange],
    // urql sends queries as GET; the gateway's CSRF prevention refuses a GET that carries none of its preflight headers.
    fetchOptions: { headers: { 'apollo-require-preflight': 'true' } },
    // Subscriptions as Server-Sent Events on the same URL, with no further exchange.
    fetchSubscriptions: true,
  });
}
