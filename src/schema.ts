/**
 * The subgraph schema: each `schema/<module>.graphql` paired with its resolver maps, built with
 * `buildSubgraphSchema([...])` (the array form, the only one @apollo/subgraph keeps), which adds `_service` and
 * `_entities`. Schema files are read from the package's `schema/` folder, not through the working directory.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { mergeResolvers } from '@graphql-tools/merge';
import { checkForResolveTypeResolver } from '@graphql-tools/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { packagePath } from './packageFiles.js';
import { forgetReadsAroundMutations } from './loaders/readOnce.js';
import { resolverModules } from './resolvers/index.js';
import { checkUpstreamValues } from './upstreamValues.js';

/** Schema modules in build order; `federation` carries the `@link` to Federation 2 and has no resolvers. */
const MODULES = ['federation', ...Object.keys(resolverModules)] as const;

export function readSchemaModule(name: string): string {
  return readFileSync(packagePath('schema', `${name}.graphql`), 'utf8');
}

export function buildSchema(): GraphQLSchema {
  const modules = MODULES.map((name) => ({
    typeDefs: parse(readSchemaModule(name)),
    resolvers: mergeResolvers(
      resolverModules[name as keyof typeof resolverModules] ?? [],
    ) as GraphQLResolverMap<unknown>,
  }));
  const schema = buildSubgraphSchema(modules);
  // Every union and interface must know how to pick its member type: fail at start-up, not on the first query.
  checkForResolveTypeResolver(schema, 'error');
  checkUpstreamValues(schema);
  forgetReadsAroundMutations(schema);
  return schema;
}
