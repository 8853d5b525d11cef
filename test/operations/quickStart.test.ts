/**
 * The README's first command, `npm start`: the production build (esbuild into dist/) in sandbox mode, the emulators
 * on a thread of their own. It answers queries on every upstream and serves GraphiQL, then stops cleanly on SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  // The bundle's own content negotiation (src/apolloPatches/negotiator.ts) and answer lengths.
  await expectNegotiatedTypes(gateway.url);
  await expectHttp10AnswerWithLength(gateway.url);
  expect(await gateway.stop()).toBe(0);
}, 60_000);

it('bundles Apollo with node:crypto (not the JavaScript SHA-256 it falls back to inside a bundle), the gateway-context fix and the remembered work', () => {
  // @apollo/utils.createhash looks for `module.require`, which a bundled module lacks, and then hashes every query with
  // sha.js; scripts/build.mjs keeps it external.
  const chunks = readdirSync(join(ROOT, 'dist/src/chunks')).filter((name) => name.endsWith('.js'));
  expect(chunks.length).toBeGreaterThan(0);
  const sources = chunks.map((name) => readFileSync(join(ROOT, 'dist/src/chunks', name), 'utf8'));
  expect(sources.filter((source) => source.includes('Sha256.prototype._update'))).toEqual([]);
  // And with scripts/build.mjs's fix of Apollo's gateway request context (compiled execution depends on it).
  expect(sources.filter((source) => source.includes('new GatewayResponseHttp('))).toHaveLength(1);
  // And with the Apollo work it remembers (src/apolloPatches/): one query hash function, ours; negotiation ours only.
  const bundle = sources.join('\n');
  expect(bundle.match(/function computeQueryHash\(/g)).toHaveLength(1);
  expect(bundle).toContain('LONGEST_REMEMBERED_QUERY');
  expect(bundle.match(/new RememberingNegotiator\(/g)?.length).toBeGreaterThanOrEqual(3);
  expect(bundle.match(/new import_negotiator\w*\.default\(/g)).toBeNull();
});
