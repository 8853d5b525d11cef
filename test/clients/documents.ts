/** Operations the client tests share: the same reads and writes, sent through each client's cache. */
import { parse } from 'graphql';

/** The first three packages with their labels. */
export const PACKAGE_LABELS = parse(`{ packages(first: 3) { nodes { guid metadata { labels { key value } } } } }`);

/** Sets the `tier` label of one package and answers the package, as a cache would normalize it. */
export const SET_TIER_LABEL = parse(`
  mutation ($guid: ID!, $tier: String!) {
    updatePackage(guid: $guid, input: { metadata: { labels: [{ key: "tier", value: $tier }] } }) {
      guid
      metadata { labels { key value } }
    }
  }
`);
