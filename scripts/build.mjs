/**
 * The production build (`npm run build`, run by `npm start`): one ESM bundle per entry point in `dist/src/`, with
 * code that loads on demand (the sandbox, OpenTelemetry, cluster mode, ...) split into `dist/src/chunks/`. Bundled,
 * the gateway loads its modules in about 180 ms instead of about 400 ms from hundreds of files. Files read at run time
 * (the schema, GraphiQL's app script, the sandbox thread's entry) are found from the package root (src/packageFiles.ts),
 * so the bundle layout does not matter to them.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Apollo Server runs our compiled executor (src/compiledExecution.ts) through its gateway interface, building for each
 * request a context whose `response.http` is an object literal with its own `get status()`/`set status()` pair. V8
 * gives every such literal a map of its own, in old space, holding the request's closures: the whole request then
 * survives young-generation collections (survival 2% -> 24-33%), which cost more CPU than compiled execution saves.
 * The same accessors on a class prototype behave the same and share one map. Measured on the 20-image list: CPU per
 * request 1,125-1,268 us with the literal, 799-834 us with the class, 1,015-1,088 us with graphql-js's executor.
 * The build stops if @apollo/server no longer has this code, so an upgrade re-checks it.
 */
const gatewayContextFix = {
  name: 'apollo-gateway-context-without-per-request-accessors',
  setup(build) {
    build.onLoad(
      { filter: /@apollo[\\/]server[\\/]dist[\\/]esm[\\/]utils[\\/]makeGatewayGraphQLRequestContext\.js$/ },
      ({ path }) => {
        const original = readFileSync(path, 'utf8');
        const literal =
          /http: \{\s*headers: new FetcherHeadersForHeaderMap\(newRequestContext\.response\.http\.headers\),\s*get status\(\) \{\s*return newRequestContext\.response\.http\.status;\s*\},\s*set status\(newStatus\) \{\s*newRequestContext\.response\.http\.status = newStatus;\s*\},\s*\},/;
        if (!literal.test(original)) throw new Error(`${path} changed: check the fix in scripts/build.mjs against it`);
        const fixed = original.replace(literal, 'http: new GatewayResponseHttp(newRequestContext.response.http),');
        const responseClass = `
class GatewayResponseHttp {
    #http;
    headers;
    constructor(http) {
        this.#http = http;
        this.headers = new FetcherHeadersForHeaderMap(http.headers);
    }
    get status() {
        return this.#http.status;
    }
    set status(newStatus) {
        this.#http.status = newStatus;
    }
}
`;
        return { contents: fixed + responseClass, loader: 'js' };
      },
    );
  },
};

/**
 * Two pieces of Apollo Server's per-request work, remembered across requests (src/apolloPatches/, where the contracts
 * and the measurements are): the SHA-256 of the query text, and the content negotiation of the Accept header. Apollo
 * offers no option for either, so the bundle gives it our versions. The build stops if Apollo's code changed.
 */
const rememberedApolloWork = {
  name: 'apollo-per-request-work-remembered',
  setup(build) {
    const patches = fileURLToPath(new URL('../src/apolloPatches/', import.meta.url));
    build.onResolve({ filter: /^negotiator$/ }, ({ importer }) =>
      /@apollo[\\/]server[\\/]/.test(importer) ? { path: join(patches, 'negotiator.ts') } : undefined,
    );
    build.onLoad({ filter: /@apollo[\\/]server[\\/]dist[\\/]esm[\\/]requestPipeline\.js$/ }, ({ path }) => {
      const original = readFileSync(path, 'utf8');
      const hash =
        /function computeQueryHash\(query\) \{\s*return createHash\('sha256'\)\.update\(query\)\.digest\('hex'\);\s*\}/;
      if (!hash.test(original))
        throw new Error(`${path} changed: check the query hash patch in scripts/build.mjs against it`);
      const remembered = `import { computeQueryHash } from ${JSON.stringify(join(patches, 'queryHash.ts'))};`;
      return { contents: original.replace(hash, remembered), loader: 'js' };
    });
  },
};

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/main.ts', 'src/sandbox/main.ts', 'src/sandbox/threadMain.ts'],
  outdir: 'dist/src',
  outbase: 'src',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS packages call `require` for Node's built-ins; an ES module has none, so each file gets one.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  // Loaded from node_modules at run time: inside a bundle it finds no `module.require` and silently falls back to a
  // JavaScript SHA-256 (sha.js) instead of node:crypto, which costs CPU on every request (Apollo hashes each query).
  external: ['@apollo/utils.createhash'],
  plugins: [gatewayContextFix, rememberedApolloWork],
});
