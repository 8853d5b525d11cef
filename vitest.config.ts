import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// CommonJS packages (@apollo/subgraph, @apollo/gateway) load graphql's index.js while Vite would resolve
// ESM imports to index.mjs: two copies of graphql ("Cannot use GraphQLSchema from another module or realm").
// Pin every import of `graphql` to the one CommonJS entry.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

/**
 * Tests that build, spawn processes, drive a browser or run a tool over the whole repo. quickStart rebuilds dist/,
 * which the other process tests run: they stay in one project, one file at a time.
 */
const SLOW = [
  'test/operations/quickStart.test.ts',
  'test/operations/npmStart.test.ts',
  'test/operations/cluster.test.ts',
  'test/operations/replicas.test.ts',
  'test/operations/replicaCircuits.test.ts',
  'test/reliability/subscriptionProcess.test.ts',
  'test/reliability/uploadMemory.test.ts',
  'test/browser/**/*.test.ts',
  'test/typecheck.test.ts',
  'test/lint.test.ts',
  'test/codegen.test.ts',
];
/** In-process tests of one module, with no sandbox or gateway listening. */
const UNIT = ['test/unit/**/*.test.ts'];

// `npm test` (vitest run) runs every project; `vitest run --project unit` (or e2e, slow) one of them.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW, fileParallelism: false } },
    ],
  },
});
