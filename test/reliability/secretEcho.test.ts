/**
 * Upstreams that echo what they were sent (issue 23, findings 7 and 9): the sandbox's `echo` fault appends the
 * request's Authorization header, or its body, to every string of the upstream's own error body. Whatever reached
 * the gateway as a secret (its service credentials, the current UAA token, a value given to an `@secret` input under
 * any variable name) must appear in no response and no log line. Each test also checks that the echo happened (the
 * answer holds `[REDACTED]` where the secret was), so that it cannot pass by the fault not firing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { REDACTED } from '../../src/secrets.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../helpers/gateway.js';
import { captureLogs, type LogCapture } from '../helpers/logCapture.js';

const basic = Buffer.from(`${DEMO_TENANT.dockercloud.username}:${DEMO_TENANT.dockercloud.apiKey}`).toString('base64');
const SERVICE_SECRETS = [DEMO_TENANT.cycle.apiKey, DEMO_TENANT.cf.token, DEMO_TENANT.dockercloud.apiKey, basic];

let logs: LogCapture;
beforeAll(() => {
  logs = captureLogs();
});
afterAll(() => logs.restore());

function expectNowhere(gw: TestGateway, response: GraphQLResponse, secrets: readonly string[]): void {
  const { headers: _headers, ...answer } = response;
  const texts = [JSON.stringify(answer), JSON.stringify(gw.logLines), logs.lines().join('\n')];
  for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
}

describe('service credentials echoed by an upstream', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ onUnexpected: (error) => logs.onUnexpected(error) });
  });
  afterAll(() => gw.close());
  afterEach(() => gw.sandbox.clearFaults());

  it.each([
    ['cycle', '/v1/images', '{ images(first: 1) { nodes { id } } }'],
    ['cf', '/v3/packages', '{ packages(first: 1) { nodes { guid } } }'],
    ['dockercloud', '/api/repo/v1/repository', '{ repositories(first: 1) { nodes { name } } }'],
  ] as const)(
    '%s: the Authorization header the gateway sent comes back to no caller',
    async (upstream, path, query) => {
      gw.sandbox[upstream].injectFault({ path, echo: 'authorization', status: 422 });
      // No forwarded credential: the gateway uses its own, from the configuration.
      const response = await gw.gql(query);
      expect(response.errors?.[0]?.extensions?.upstream).toBe(upstream);
      expect(JSON.stringify(response.errors)).toContain(REDACTED);
      expectNowhere(gw, response, SERVICE_SECRETS);
    },
  );
});

describe('the current UAA token echoed by Cloud Foundry', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      onUnexpected: (error) => logs.onUnexpected(error),
      config: (c) => ({
        ...c,
        serviceCredentials: {
          ...c.serviceCredentials,
          cf: { clientId: DEMO_TENANT.cf.client.id, clientSecret: DEMO_TENANT.cf.client.secret },
        },
      }),
    });
  });
  afterAll(() => gw.close());

  it('is scrubbed, as is the client secret', async () => {
    gw.sandbox.cf.injectFault({ path: '/v3/packages', echo: 'authorization', status: 422, times: 1 });
    const response = await gw.gql('{ packages(first: 1) { nodes { guid } } }');
    const text = JSON.stringify(response.errors);
    expect(text).toContain(REDACTED);
    // The echo carried `Bearer <token>`: nothing of a bearer token is left but the redaction.
    expect(text).not.toMatch(/[Bb]earer (?!\[REDACTED\])/);
    expectNowhere(gw, response, [DEMO_TENANT.cf.client.secret]);
  });
});

describe('a secret input echoed by an upstream, under an ordinary variable name', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ onUnexpected: (error) => logs.onUnexpected(error) });
  });
  afterAll(() => gw.close());
  afterEach(() => gw.sandbox.clearFaults());

  it('registerRepository(password: $x): the password comes back to no one', async () => {
    const password = `pw-${randomUUID()}`;
    gw.sandbox.dockercloud.injectFault({ path: '/api/repo/v1/repository', method: 'POST', echo: 'body' });
    const response = await gw.gql(
      'mutation($n: String!, $x: String) { registerRepository(name: $n, username: "ci", password: $x) { name } }',
      { n: 'quay.io/acme/echo', x: password },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response.errors)).toContain(REDACTED);
    expectNowhere(gw, response, [password]);
  });

  it('createPackage(input: $i): a password inside an input object, found by its type', async () => {
    const password = `pw-${randomUUID()}`;
    const apps = await gw.gql<{ apps: { nodes: { guid: string; lifecycle: { type: string } }[] } }>(
      '{ apps(first: 100) { nodes { guid lifecycle { type } } } }',
    );
    const app = apps.data!.apps.nodes.find((a) => a.lifecycle.type === 'docker')!.guid;
    gw.sandbox.cf.injectFault({ path: '/v3/packages', method: 'POST', echo: 'body' });
    const response = await gw.gql('mutation($i: CreatePackageInput!) { createPackage(input: $i) { guid } }', {
      i: { appGuid: app, type: 'DOCKER', docker: { image: 'quay.io/acme/api:1', username: 'ci', password } },
    });
    expect(response.errors?.[0]?.extensions?.upstream).toBe('cf');
    expect(JSON.stringify(response.errors)).toContain(REDACTED);
    expectNowhere(gw, response, [password]);
  });

  it('a variable that fails coercion does not quote the secret in it', async () => {
    const password = `pw-${randomUUID()}`;
    const response = await gw.gql('mutation($i: CreatePackageInput!) { createPackage(input: $i) { guid } }', {
      i: { appGuid: 'x', type: 'DOCKER', docker: { image: 'a', password, bogus: 1 } },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expectNowhere(gw, response, [password]);
  });
});
