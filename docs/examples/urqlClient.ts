import { Client, fetchExchange } from '@urql/core';
import { cacheExchange, type KeyingConfig } from '@urql/exchange-graphcache';

/** What `npm run client-config` prints and `/client-config.json` serves. */
interface ImagegraphCacheConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
  embeddedTypes: string[];
}

export function createUrqlClient(url: string, config: ImagegraphCacheConfig) {
  const keys: KeyingConfig = {};
  for (const [type, { keyFields }] of Object.entries(config.typePolicies))
    keys[type] = (data) => JSON.stringify(keyFields.map((field) => data[field] ?? null));
  // Types without an identity are stored inside their parent; saying so keeps Graphcache from warning.
  for (const type of config.embeddedTypes) keys[type] = () => null;
  return new Client({
    url,
    exchanges: [cacheExchange({ keys, possibleTypes: config.possibleTypes }), fetchExchange],
  });
}
