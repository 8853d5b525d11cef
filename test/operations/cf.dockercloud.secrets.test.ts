/**
 * Registry passwords are write-only: none given to createPackage, updatePackage, registerRepository or
 * updateRepositoryCredentials comes back in any response, success or failure, nor in any line the gateway logs
 * (its structured log, the console, or the `onUnexpected` hook).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_SECRET_MARKER, sandboxSeedSecrets } from '../../src/sandbox/index.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../helpers/gateway.js';
import { captureLogs, type LogCapture } from '../helpers/logCapture.js';

let gw: TestGateway;
let logs: LogCapture;
const responses: GraphQLResponse[] = [];
const passwords: string[] = [];

function password(): string {
  const value = `pw-${randomUUID()}`;
  passwords.push(value);
  return value;
}

async function gql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await gw.gql(query, variables);
  responses.push(res);
  return res;
}

beforeAll(async () => {
  logs = captureLogs();
  gw = await startTestGateway({ onUnexpected: logs.onUnexpected });
});
afterAll(async () => {
  await gw.close();
  logs.restore();
});

it('never returns or logs a password written through CF or Docker Cloud mutations, on success or failure', async () => {
  const apps = await gql(`{ apps(first: 100) { nodes { guid lifecycle { type } } } }`);
  const dockerApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'docker').guid;
  const buildpackApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'buildpack').guid;
  const createDocker = `mutation($app: ID!, $pw: String) { createPackage(input: { appGuid: $app, type: DOCKER, docker: { image: "quay.io/acme/api:1", username: "u", password: $pw } }) { guid docker { image username hasPassword } } }`;
  const updatePackage = `mutation($g: ID!, $pw: String) { updatePackage(guid: $g, input: { username: "u2", password: $pw }) { guid docker { username hasPassword } } }`;
  const register = `mutation($n: String!, $pw: String) { registerRepository(name: $n, username: "bot", password: $pw) { name inUse registry { name } } }`;
  const updateRepository = `mutation($n: String!, $pw: String) { updateRepositoryCredentials(name: $n, username: "bot2", password: $pw) { name } }`;

  // Successes.
  const created = await gql(createDocker, { app: dockerApp, pw: password() });
  expect(created.data!.createPackage.docker.hasPassword).toBe(true);
  const guid = created.data!.createPackage.guid;
  expect((await gql(updatePackage, { g: guid, pw: password() })).errors).toBeUndefined();
  expect((await gql(register, { n: 'ghcr.io/acme/secret-sweep', pw: password() })).errors).toBeUndefined();
  expect((await gql(updateRepository, { n: 'ghcr.io/acme/secret-sweep', pw: password() })).errors).toBeUndefined();

  // Upstream refusals: 422, 409, 404.
  expect((await gql(createDocker, { app: buildpackApp, pw: password() })).errors).toBeDefined();
  const bits = await gql(`mutation($app: ID!) { createPackage(input: { appGuid: $app, type: BITS }) { guid } }`, {
    app: buildpackApp,
  });
  expect((await gql(updatePackage, { g: bits.data!.createPackage.guid, pw: password() })).errors).toBeDefined();
  expect((await gql(register, { n: 'ghcr.io/acme/secret-sweep', pw: password() })).errors![0]!.extensions!.code).toBe(
    'CONFLICT',
  );
  expect(
    (await gql(updateRepository, { n: 'ghcr.io/acme/not-there', pw: password() })).errors![0]!.extensions!.code,
  ).toBe('NOT_FOUND');

  // Upstream failures: 500, a malformed body, a reset connection, an HTML page.
  gw.sandbox.cf.injectFault({ method: 'POST', path: '/v3/packages', status: 500, times: 1 });
  expect((await gql(createDocker, { app: dockerApp, pw: password() })).errors).toBeDefined();
  gw.sandbox.cf.injectFault({ method: 'PATCH', path: '/v3/packages/', body: 'malformed', times: 1 });
  expect((await gql(updatePackage, { g: guid, pw: password() })).errors).toBeDefined();
  gw.sandbox.dockercloud.injectFault({ method: 'POST', path: '/api/repo/v1/repository/', reset: true, times: 1 });
  expect((await gql(register, { n: 'ghcr.io/acme/secret-reset', pw: password() })).errors).toBeDefined();
  gw.sandbox.dockercloud.injectFault({
    method: 'PATCH',
    path: '/api/repo/v1/repository/',
    status: 502,
    body: 'html',
    times: 1,
  });
  expect((await gql(updateRepository, { n: 'ghcr.io/acme/secret-sweep', pw: password() })).errors).toBeDefined();
  gw.sandbox.clearFaults();

  // Read everything back, seeded secrets included.
  await gql(
    `{ packages(first: 100) { nodes { guid docker { image username hasPassword } image { repository { name } } } } }`,
  );
  await gql(
    `{ repositories(first: 100) { nodes { name inUse state tags publicUrl registry { name } } } hub: repository(name: "acme/worker") { name } }`,
  );

  const text = JSON.stringify(responses);
  // The structured log (every request line, every error, at debug level in tests) and anything on the console.
  expect(gw.logLines.length).toBeGreaterThan(responses.length);
  const logged = `${JSON.stringify(gw.logLines)}\n${logs.lines().join('\n')}`;
  expect(passwords).toHaveLength(12);
  for (const secret of passwords) {
    expect(text).not.toContain(secret);
    expect(logged).not.toContain(secret);
  }
  expect(text).not.toContain(SANDBOX_SECRET_MARKER);
  for (const secret of sandboxSeedSecrets()) expect(text).not.toContain(secret);
  expect(text).toContain('"hasPassword":true');
});
