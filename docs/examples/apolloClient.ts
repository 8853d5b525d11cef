import { ApolloClient, HttpLink, InMemoryCache, type TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/** What `npm run client-config` prints and `/client-config.json` serves (the parts Apollo Client reads). */
interface ImagegraphCacheConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
  embeddedTypes: string[];
  identifiedTypes: string[];
  connections: { type: string; field: string; keyArgs: string[] }[];
}

export function imagegraphTypePolicies(config: ImagegraphCacheConfig): TypePolicies {
  const policies: TypePolicies = {};
  for (const [type, { keyFields }] of Object.entries(config.typePolicies)) {
    // An object whose selection leaves out a key field is kept inside its parent instead of normalized: a plain
    // `keyFields` array would throw ("Missing field … while extracting keyFields").
    // Such an object is the same one each time its parent's field is read, whatever the selection: `merge: true`
    // keeps the fields of both reads instead of dropping the first's.
    policies[type] = {
      keyFields: (object) => (keyFields.every((field) => object[field] != null) ? keyFields : false),
      merge: true,
    };
  }
  // Objects stored inside their parent (no identity, or `id` not selected) are likewise merged.
  for (const type of [...config.embeddedTypes, ...config.identifiedTypes]) policies[type] = { merge: true };
  for (const { type, field, keyArgs } of config.connections) {
    const policy = (policies[type] ??= {});
    // `fetchMore` appends the next page (to `edges`) instead of replacing the list. A list is known by its arguments
    // but the cursors: another page size is another list, so that `images(first: 2)` does not replace `first: 20`.
    policy.fields = { ...policy.fields, [field]: relayStylePagination(['first', 'last', ...keyArgs]) };
  }
  return policies;
}

export function createApolloClient(uri: string, config: ImagegraphCacheConfig) {
  return new ApolloClient({
    link: new HttpLink({ uri }),
    cache: new InMemoryCache({ possibleTypes: config.possibleTypes, typePolicies: imagegraphTypePolicies(config) }),
  });
}
