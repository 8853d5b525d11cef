// Every documented query (README examples, GraphiQL tabs: documentedQueries.ts) through the documented Apollo Client
// and urql/Graphcache setups (docs/examples/, configured from /client-config.json), compared with the raw HTTP answer
// to the same document: no throw, no warning, and after all of them have shared one cache, each read back from the
// cache is still exactly the raw answer (a keyless object merged into another would show here).
import { ApolloClient, gql } from '@apollo/client';
import type { Client } from '@urql/core';
import { Kind, visit, type DocumentNode, type IntrospectionQuery } from 'graphql';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createApolloClient } from '../../docs/examples/apolloClient.js';
import { fetchIntrospection, graphcacheSchema } from '../../docs/examples/schemaFiles.js';
import { createUrqlClient } from '../../docs/examples/urqlClient.js';
import type { ClientConfig } from '../../src/clientConfig.js';
import { useTestGateway } from '../helpers/fixture.js';
import { postGraphQL } from '../helpers/gateway.js';
import { documentedQueries, queryText, type DocumentedQuery } from './documentedQueries.js';

const gw = useTestGateway();
const QUERIES = documentedQueries();
let config: ClientConfig;
let schema: IntrospectionQuery;
// Apollo Client (invariant warnings) and Graphcache (keying, fragment matching) report on console.warn/error.
let warnings: MockInstance<typeof console.warn>;
let errors: MockInstance<typeof console.error>;
beforeAll(async () => {
  config = (await (await fetch(`${gw.url}/client-config.json`)).json()) as ClientConfig;
  schema = graphcacheSchema(await fetchIntrospection(`${gw.url}/graphql`));
});
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  if (process.env.SHOW_WARNINGS)
    for (const call of [...warnings.mock.calls, ...errors.mock.calls])
      process.stdout.write(`WARNED ${JSON.stringify(call.slice(1, 5)).slice(0, 300)}\n`);
  warnings.mockRestore();
  errors.mockRestore();
});

/**
 * The document as Apollo Client sends it, `__typename` in every selection set below the root: its answers carry them.
 * (Graphcache adds them too, but answers with the fields the application selected.)
 */
function withTypename(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node, _key, parent) {
      if ((parent as { kind?: string } | undefined)?.kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')) return undefined;
      return {
        ...node,
        selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
      };
    },
  });
}

/** The raw HTTP answer to the document, or (`typenames`) to the document as Apollo Client sends it. */
async function rawAnswer(query: DocumentedQuery, typenames = false) {
  const document = typenames ? withTypename(query.document) : query.document;
  const res = await postGraphQL<Record<string, unknown>>(
    `${gw.url}/graphql`,
    queryText({ ...query, document }),
    query.variables,
  );
  expect(res.errors, query.name).toBeUndefined();
  return res.data;
}

const comparison: string[] = [];

describe('Apollo Client, as docs/examples/apolloClient.ts sets it up', () => {
  let client: ApolloClient;
  beforeAll(() => {
    client = createApolloClient(`${gw.url}/graphql`, config);
  });

  it.each(QUERIES.map((q) => [q.name, q] as const))('%s gives exactly the raw answer', async (_name, query) => {
    const raw = await rawAnswer(query, true);
    const res = await client.query({
      query: gql(queryText(query)),
      variables: query.variables,
      fetchPolicy: 'network-only',
    });
    expect(res.error).toBeUndefined();
    expect(res.data).toEqual(raw);
    expect(warnings).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
  });

  it('still answers every one of them from the shared cache exactly as the raw answer', async () => {
    let same = 0;
    for (const query of QUERIES) {
      const raw = await rawAnswer(query, true);
      const cached = client.readQuery({ query: gql(queryText(query)), variables: query.variables });
      expect(cached, query.name).toEqual(raw);
      same++;
    }
    comparison.push(
      `Apollo Client: ${same}/${QUERIES.length} documented queries equal to the raw answer from the cache`,
    );
  });
});

describe('urql with Graphcache, as docs/examples/urqlClient.ts sets it up', () => {
  let client: Client;
  beforeAll(() => {
    client = createUrqlClient(`${gw.url}/graphql`, config, schema);
  });

  it.each(QUERIES.map((q) => [q.name, q] as const))('%s gives exactly the raw answer', async (_name, query) => {
    const raw = await rawAnswer(query);
    const res = await client.query(queryText(query), query.variables, { requestPolicy: 'network-only' }).toPromise();
    expect(res.error).toBeUndefined();
    expect(res.data).toEqual(raw);
    expect(warnings).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
  });

  it('still answers every one of them from the shared cache exactly as the raw answer', async () => {
    let same = 0;
    for (const query of QUERIES) {
      const raw = await rawAnswer(query);
      const cached = await client.query(queryText(query), query.variables, { requestPolicy: 'cache-only' }).toPromise();
      expect(cached.data, query.name).toEqual(raw);
      same++;
    }
    comparison.push(
      `urql/Graphcache: ${same}/${QUERIES.length} documented queries equal to the raw answer from the cache`,
    );
    console.log(comparison.join('\n'));
  });
});
