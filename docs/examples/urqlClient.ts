import { Client, fetchExchange } from '@urql/core';
import {
  cacheExchange,
  type Cache,
  type KeyingConfig,
  type Resolver,
  type ResolverConfig,
} from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import type { IntrospectionQuery } from 'graphql';

/** What `npm run client-config` prints and `/client-config.json` serves (the parts Graphcache reads). */
interface ImagegraphKeys {
  typePolicies: Record<string, { keyFields: string[] }>;
  identifiedTypes: string[];
  embeddedTypes: string[];
  connections: { type: string; field: string }[];
}

/** `schema`: what `graphcacheSchema` (schemaFiles.ts) made. */
export function createUrqlClient(url: string, config: ImagegraphKeys, schema: IntrospectionQuery) {
  const keys: KeyingConfig = {};
  // A selection without every key field is stored inside its parent (key null): never under a made-up key, which
  // would merge every such object into one record.
  const keyOf = (keyFields: string[]) => (data: Record<string, unknown>) =>
    keyFields.every((field) => data[field] != null) ? JSON.stringify(keyFields.map((field) => data[field])) : null;
  for (const [type, { keyFields }] of Object.entries(config.typePolicies)) keys[type] = keyOf(keyFields);
  for (const type of config.identifiedTypes) keys[type] = keyOf(['id']);
  // Types without an identity are stored inside their parent; saying so keeps Graphcache from warning.
  for (const type of config.embeddedTypes) keys[type] = () => null;
  const resolvers: ResolverConfig = {};
  const paginate = relayPagination();
  // Each connection's pages are merged into one list, so that reading the next page appends to it. A list is known by
  // its arguments but the cursors: relayPagination would merge `images(first: 2)` into `images(first: 20)`, so it sees
  // only the pages read with the same `first` and `last`.
  const samePageSize: Resolver = (parent, args, cache, info) => {
    const samePages = Object.assign(Object.create(cache) as Cache, {
      inspectFields: (entity: Parameters<Cache['inspectFields']>[0]) =>
        cache
          .inspectFields(entity)
          .filter(
            (f) =>
              f.fieldName !== info.fieldName || (f.arguments?.first === args.first && f.arguments?.last === args.last),
          ),
    });
    return paginate(parent, args, samePages, info);
  };
  for (const { type, field } of config.connections) resolvers[type] = { ...resolvers[type], [field]: samePageSize };
  return new Client({
    url,
    // With the schema, Graphcache matches fragments on interfaces exactly instead of guessing.
    exchanges: [cacheExchange({ keys, resolvers, schema }), fetchExchange],
    // urql sends queries as GET; the gateway's CSRF prevention refuses a GET that carries none of its preflight headers.
    fetchOptions: { headers: { 'apollo-require-preflight': 'true' } },
    // Subscriptions as Server-Sent Events on the same URL, with no further exchange.
    fetchSubscriptions: true,
  });
}
