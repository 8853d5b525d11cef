// ESLint over the TypeScript sources, tests, benchmarks and scripts. Formatting is Prettier's job (npm run format);
// this file holds the correctness rules and the architecture's import boundaries.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The architecture, as import boundaries (import-x/no-restricted-paths resolves each import to its file):
 * - the sandbox emulates the upstreams from their contracts, so it shares no code with the gateway (apart from the
 *   helper that finds the package's own files);
 * - upstream clients speak HTTP and return domain models: they know nothing of GraphQL, resolvers or loaders;
 * - resolvers never reach into the sandbox;
 * - nothing below the resolvers imports a resolver: the domain rules they share (job and package states, namespace
 *   names) live in the upstream layer (src/upstreams/<api>/states.ts, namespace.ts);
 * - the core (config, errors, credentials, models, context) imports nothing from the layers built on it (HTTP,
 *   plugins, subscriptions, the server): each `except` below is a known exception, to be moved down, not added to;
 * - wire types stay inside their upstream's folder (no-restricted-imports below).
 */
/** The core modules every layer builds on. */
const CORE = ['./src/config.ts', './src/errors.ts', './src/credentials.ts', './src/models.ts', './src/context.ts'];
/** What the core may not import: the layers above it. */
const ABOVE_CORE = [
  './src/http',
  './src/plugins',
  './src/subscriptions',
  './src/graphiql',
  './src/cluster',
  './src/server.ts',
  './src/main.ts',
  './src/schema.ts',
];

/** One zone per core module and upper layer, with that module's known exceptions in that layer. */
function coreZones(exceptions) {
  return CORE.flatMap((target) =>
    ABOVE_CORE.map((from) => ({
      target,
      from,
      except: exceptions[target]?.[from] ?? [],
      message: 'the core (config, errors, credentials, models, context) imports nothing from the layers above it',
    })),
  );
}

const boundaries = [
  {
    target: './src/sandbox',
    from: './src',
    except: ['./sandbox', './packageFiles.ts'],
    message: 'the sandbox shares no code with the gateway (only src/packageFiles.ts)',
  },
  {
    target: './src/upstreams',
    from: ['./src/resolvers', './src/loaders', './node_modules/graphql'],
    message: 'upstream clients know nothing of GraphQL, resolvers or loaders',
  },
  { target: './src/resolvers', from: './src/sandbox', message: 'resolvers never reach into the sandbox' },
  {
    target: [
      './src/upstreams',
      './src/loaders',
      './src/subscriptions',
      './src/plugins',
      './src/http',
      './src/tracing',
      './src/observability',
      ...CORE,
    ],
    from: './src/resolvers',
    message: 'nothing below the resolvers imports a resolver: move the shared rule down (src/upstreams/<api>/)',
  },
  ...coreZones({
    './src/config.ts': { './src/http': ['./jwtAuth.ts'], './src/plugins': ['./requestLimits.ts'] },
    './src/models.ts': { './src/http': ['./uploadedFile.ts'] },
    './src/context.ts': { './src/subscriptions': ['./sharedPolls.ts'] },
  }),
];

const wireMessage = 'wire types stay inside their upstream folder (src/upstreams/<api>/): import the domain types';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-*/',
      'coverage/',
      'test-artifacts/',
      'src/__generated__/',
      'src/graphiql/app.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['src/upstreams/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/upstreams/*/wire.js'], message: wireMessage }] }],
    },
  },
  {
    files: ['src/upstreams/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*/wire.js', '../*/wire.js'], message: wireMessage }] },
      ],
    },
  },
  {
    // Resolvers read through the per-request loaders (src/loaders/), which batch, deduplicate and prime; only writes
    // (the mutations files) call an upstream client directly.
    files: ['src/resolvers/**/*.ts'],
    ignores: ['src/resolvers/**/mutations.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='upstreams']",
          message: 'resolvers read through ctx.loaders; only mutations call ctx.upstreams',
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON answers; `any` there is a parsed response, not a hole in the gateway's types.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
