/**
 * The README's first command, `npm start`: the production build (esbuild into dist/) in sandbox mode, the emulators
 * on a thread of their own. It answers queries on every upstream and serves GraphiQL, then stops cleanly on SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let gateway: GatewayProcess;
beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  gateway = await startGatewayProcess({ NODE_OPTIONS: '--max-old-space-size=192 --max-semi-space-size=8' }, 45_000, ['dist/src/main.js']);
}, 90_000);
afterAll(async () => {
  await gateway?.stop();
});

it('answers from the build in sandbox mode, with GraphiQL, and stops on SIGTERM', async () => {
  expect(gateway.output()).toContain('Sandbox mode: no upstream URL configured');
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ images(first: 2) { nodes { id } } packages(first: 2) { nodes { guid } } repositories(first: 2) { nodes { name } } }' }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect([body.data.images.nodes.length, body.data.packages.nodes.length, body.data.repositories.nodes.length]).toEqual([2, 2, 2]);
  const page = await fetch(`${gateway.url}/`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/graphiql/i);
  expect(await gateway.stop()).toBe(0);
}, 60_000);
