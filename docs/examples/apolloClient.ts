import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

/** What `npm run client-config` prints and `/client-config.json` serves (the parts Apollo Client reads). */
interface ImagegraphCacheConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
}

export function createApolloClient(uri: string, config: ImagegraphCacheConfig) {
  return new ApolloClient({
    link: new HttpLink({ uri }),
    cache: new InMemoryCache({ possibleTypes: config.possibleTypes, typePolicies: config.typePolicies }),
  });
}
