/**
 * The README's first command, `npm start`: the production build (esbuild into dist/) in sandbox mode, the emulators
 * on a thread of their own. It answers queries on every upstream and serves GraphiQL, then stops cleanly on SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectHttp10AnswerWithLength, expectNegotiatedTypes } from '../helpers/answers.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let gateway: GatewayProcess;
beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  gateway = await startGatewayProcess({ NODE_OPTIONS: '--max-old-space-size=192 --max-semi-space-size=8' }, 45_000, [
    'dist/src/main.js',
  ]);
}, 90_000);
afterAll(async () => {
  await gateway?.stop();
});

it('answers from the build in sandbox mode, with GraphiQL, and stops on SIGTERM', async () => {
  expect(gateway.output()).toContain('Sandbox mode: no upstream URL configured');
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ images(first: 2) { nodes { id } } packages(first: 2) { nodes { guid } } repositories(first: 2) { nodes { name } } }',
    }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect([body.data.images.nodes.length, body.data.packages.nodes.length, body.data.repositories.nodes.length]).toEqual(
    [2, 2, 2],
  );
  const page = await fetch(`${gateway.url}/`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/graphiql/i);
  // Read from the package root at run time, wherever the bundle put the module that serves it.
  const app = await fetch(`${gateway.url}/graphiql/assets/app.js`);
  expect(app.status).toBe(200);
  expect(await app.text()).toContain('GraphiQL');
  // Content negotiation and answer lengths, as the tests of the sources check them (httpAnswers.test.ts).
  await expectNegotiatedTypes(gateway.url);
  await expectHttp10AnswerWithLength(gateway.url);
  expect(await gateway.stop()).toBe(0);
}, 60_000);

it('bundles Apollo with node:crypto (not the JavaScript SHA-256 it falls back to inside a bundle)', () => {
  // @apollo/utils.createhash looks for `module.require`, which a bundled module lacks, and then hashes every query with
  // sha.js; scripts/build.mjs keeps it external.
  const chunks = readdirSync(join(ROOT, 'dist/src/chunks')).filter((name) => name.endsWith('.js'));
  expect(chunks.length).toBeGreaterThan(0);
  const sources = chunks.map((name) => readFileSync(join(ROOT, 'dist/src/chunks', name), 'utf8'));
  expect(sources.filter((source) => source.includes('Sha256.prototype._update'))).toEqual([]);
});

it('runs dependencies as published: the build has no esbuild plugin that could rewrite or swap their code', () => {
  // onLoad/onResolve are how an esbuild build edits or replaces a module; without them the bundle is node_modules'
  // code as `npm run dev` and the test suite run it.
  const script = readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8');
  expect(script).not.toMatch(/\bonLoad\b|\bonResolve\b|\bplugins\s*:/);
  // The current build's chunks only: the kept chunks of earlier builds may come from before the rewrites were removed.
  const [current] = JSON.parse(readFileSync(join(ROOT, 'dist/build-generations.json'), 'utf8')) as string[][];
  const bundle = current!
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(ROOT, 'dist/src/chunks', name), 'utf8'))
    .join('\n');
  // What the former rewrites left in the bundle: a class of ours in Apollo's gateway context, our negotiator.
  expect(bundle).not.toContain('GatewayResponseHttp');
  expect(bundle).not.toContain('RememberingNegotiator');
});

it('rebuilds without removing the chunks of recent builds (a running gateway may import them), and drops older ones', async () => {
  // A chunk of an earlier build than the current one, which a gateway started from it would import (chunk names are
  // content hashes, so they differ between builds): the next build is the last of the three kept that lists it.
  const chunks = join(ROOT, 'dist/src/chunks');
  const generationsFile = join(ROOT, 'dist/build-generations.json');
  const planted = 'chunk-PLANTEDBYTEST.js';
  writeFileSync(join(chunks, planted), 'export const planted = true;\n');
  const [current] = JSON.parse(readFileSync(generationsFile, 'utf8')) as string[][];
  writeFileSync(generationsFile, JSON.stringify([current, [planted]]));
  const rebuild = () => execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  rebuild();
  expect(existsSync(join(chunks, planted))).toBe(true);
  rebuild();
  expect(existsSync(join(chunks, planted))).toBe(false);
  // No staging or retired folder is left behind.
  expect(readdirSync(ROOT).filter((name) => name.startsWith('dist-building-'))).toEqual([]);
}, 90_000);
