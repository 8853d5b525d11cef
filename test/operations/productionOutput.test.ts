/**
 * What the gateway process writes outside sandbox mode (issue 18): stdout carries JSON log lines only (the banner and
 * the shutdown notice go to stderr), no GraphiQL line when GraphiQL is off, and a port already in use is one clear
 * message, no stack trace.
 */
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TENANT, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startGatewayProcess } from '../helpers/gatewayProcess.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = {
    CYCLE_API_URL: sandbox.cycle.url,
    CYCLE_API_KEY: DEMO_TENANT.cycle.apiKey,
    CYCLE_HUB_ID: DEMO_TENANT.cycle.hubId,
    CF_API_URL: sandbox.cf.url,
    CF_CLIENT_ID: DEMO_TENANT.cf.client.id,
    CF_CLIENT_SECRET: DEMO_TENANT.cf.client.secret,
  };
});
afterAll(() => sandbox.close());

it('writes JSON lines only on stdout, and no GraphiQL line when GraphiQL is off', { timeout: 60_000 }, async () => {
  const gateway = await startGatewayProcess(env);
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ images(first: 1) { nodes { id } } packages(first: 1) { nodes { guid } } }' }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data.packages.nodes).toHaveLength(1);
  expect(await gateway.stop()).toBe(0);

  const lines = gateway.stdout().split('\n').filter(Boolean);
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const ready = parsed.find((line) => line.msg === 'imagegraph ready');
  expect(ready).toMatchObject({ level: 'info', mode: 'upstreams', graphql: `${gateway.url}/graphql` });
  expect(ready).not.toHaveProperty('graphiql');
  expect(gateway.output()).not.toContain('GraphiQL');
  expect(gateway.output()).toContain('SIGTERM: finishing in-flight requests');
  expect(gateway.output()).not.toContain(DEMO_TENANT.cf.client.secret);
});

it('says the port is in use, without a stack trace', { timeout: 60_000 }, async () => {
  const taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  const port = (taken.address() as AddressInfo).port;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(1);
    expect(output).toContain(
      `cannot listen on 127.0.0.1:${port}: the port is already in use (another imagegraph, or another server): stop it or set PORT`,
    );
    expect(output).not.toMatch(/^\s+at /m);
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }
});
