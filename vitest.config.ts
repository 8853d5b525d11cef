import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// CommonJS packages (@apollo/subgraph, @apollo/gateway) load graphql's index.js while Vite would resolve
// ESM imports to index.mjs: two copies of graphql ("Cannot use GraphQLSchema from another module or realm").
// Pin every import of `graphql` to the one CommonJS entry.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
