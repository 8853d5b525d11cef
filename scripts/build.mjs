/**
 * The production build (`npm run build`, run by `npm start`): one ESM bundle per entry point in `dist/src/`, with
 * code that loads on demand (the sandbox, OpenTelemetry, cluster mode, ...) split into `dist/src/chunks/`. Files read
 * at run time (the schema, GraphiQL's app script, the sandbox thread's entry) are found from the package root
 * (src/packageFiles.ts), so the bundle layout does not matter to them.
 *
 * The bundle runs dependencies' code as published: no plugin here rewrites what it loads from node_modules, so
 * `npm run dev`, the test suite and `npm start` execute the same dependency code.
 *
 * A rebuild never deletes a file a gateway already running from `dist/` may still import. The build writes into a
 * fresh folder next to `dist/` and swaps it in by renaming. Chunks load lazily by their content-hashed names, so the
 * chunks of the previous KEPT_GENERATIONS - 1 builds move into the new `dist/src/chunks/` too (a gateway started from
 * one of them still finds its chunks); older ones are dropped. `dist/build-generations.json` lists each kept build's
 * chunks, newest first.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const DIST = 'dist';
const KEPT_GENERATIONS = 3;
const GENERATIONS_FILE = 'build-generations.json';
const chunksOf = (root) => join(root, 'src', 'chunks');

const staging = mkdtempSync('dist-building-');
try {
  await build({
    entryPoints: ['src/main.ts', 'src/sandbox/main.ts', 'src/sandbox/threadMain.ts'],
    outdir: join(staging, 'src'),
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
  });
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  throw error;
}

const built = readdirSync(chunksOf(staging));
const generations = [built];
if (existsSync(DIST)) {
  const previousFile = join(DIST, GENERATIONS_FILE);
  const previous = existsSync(previousFile)
    ? JSON.parse(readFileSync(previousFile, 'utf8'))
    : [existsSync(chunksOf(DIST)) ? readdirSync(chunksOf(DIST)) : []];
  generations.push(...previous.slice(0, KEPT_GENERATIONS - 1));
  const wanted = new Set(generations.flat());
  const have = new Set(built);
  for (const name of wanted) {
    if (have.has(name) || !existsSync(join(chunksOf(DIST), name))) continue;
    renameSync(join(chunksOf(DIST), name), join(chunksOf(staging), name));
    have.add(name);
  }
}
writeFileSync(join(staging, GENERATIONS_FILE), `${JSON.stringify(generations)}\n`);

// rename() cannot replace a non-empty folder: the previous build steps aside first. Every chunk a kept build needs
// is already in the new folder, so what the final rmSync removes is only what no kept build imports.
const retired = `${staging}-retired`;
if (existsSync(DIST)) renameSync(DIST, retired);
renameSync(staging, DIST);
rmSync(retired, { recursive: true, force: true });
