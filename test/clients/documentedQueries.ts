/**
 * Every query the docs show a user: the README's example operations (its `graphql` blocks and the queries of its
 * curl examples) and every GraphiQL example tab's queries (src/graphiql/examples.ts), each with the variables its tab
 * gives. Mutations and subscriptions are left out: they change or follow the data the comparison reads.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { EXAMPLE_TABS } from '../../src/graphiql/examples.js';

export interface DocumentedQuery {
  /** Where it is shown: `README 1`, `GraphiQL ImagesWithSources`, … */
  name: string;
  document: DocumentNode;
  variables: Record<string, unknown>;
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function readmeQueries(): string[] {
  const blocks = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // curl examples: `-d '{"query":"…"}'` (one line) and `--data-urlencode 'query=…'`.
  const posted = [...README.matchAll(/-d '(\{"query":.*\})'/g)].map(
    (m) => (JSON.parse(m[1]!) as { query: string }).query,
  );
  const got = [...README.matchAll(/--data-urlencode 'query=(.*)'/g)].map((m) => m[1]!);
  return [...blocks, ...posted, ...got];
}

/** Each query operation of a document, alone (with the fragments it uses, if any). */
function queriesOf(text: string): OperationDefinitionNode[] {
  return parse(text).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query',
  );
}

export function documentedQueries(): DocumentedQuery[] {
  const queries: DocumentedQuery[] = [];
  readmeQueries().forEach((text, i) => {
    for (const operation of queriesOf(text))
      queries.push({
        name: `README ${i + 1}`,
        document: { kind: Kind.DOCUMENT, definitions: [operation] },
        variables: {},
      });
  });
  for (const tab of EXAMPLE_TABS) {
    const variables = tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : {};
    for (const operation of queriesOf(tab.query))
      queries.push({
        name: `GraphiQL ${operation.name?.value ?? '(anonymous)'}`,
        document: { kind: Kind.DOCUMENT, definitions: [operation] },
        variables,
      });
  }
  return queries;
}

export const queryText = (query: DocumentedQuery) => print(query.document);
