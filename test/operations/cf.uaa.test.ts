/**
 * Cloud Foundry through UAA (issue 18): the gateway holds a UAA client (CF_CLIENT_ID, CF_CLIENT_SECRET), finds UAA in
 * Cloud Controller's root document, fetches a token with the client_credentials grant, and carries on when the token
 * expires mid-run: Cloud Controller refuses it (401 CF-InvalidAuthToken), the gateway renews it once and sends again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { UaaTokenSource } from '../../src/upstreams/cf/uaa.js';
import { NO_DEADLINE } from '../../src/upstreams/shared/deadline.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const QUERY = `{ packages(first: 3) { nodes { guid state } } images(first: 1) { nodes { id } } }`;
const CLIENT = DEMO_TENANT.cf.client;

function cfCalls(gw: TestGateway): { path: string; status: number }[] {
  return gw.sandbox.cf.requests().map(({ path, status }) => ({ path, status }));
}

describe('a UAA client as the Cloud Foundry service credential', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      config: (c) => ({
        ...c,
        serviceCredentials: { ...c.serviceCredentials, cf: { clientId: CLIENT.id, clientSecret: CLIENT.secret } },
      }),
    });
  });
  afterAll(() => gw.close());

  it('discovers UAA, fetches one token and reuses it', async () => {
    const first = await gw.gql(QUERY);
    expect(first.errors).toBeUndefined();
    expect(first.data!.packages.nodes).toHaveLength(3);
    const second = await gw.gql(QUERY);
    expect(second.errors).toBeUndefined();
    expect(gw.sandbox.cf.uaaTokens.issuedCount).toBe(1);
    expect(cfCalls(gw).slice(0, 2)).toEqual([
      { path: '/', status: 200 },
      { path: '/oauth/token', status: 200 },
    ]);
  });

  it('carries on without an error when the token expires mid-run, renewing it once for concurrent requests', async () => {
    const before = gw.sandbox.cf.uaaTokens.issuedCount;
    gw.sandbox.cf.resetRequests();
    gw.sandbox.cf.uaaTokens.expireAll();
    const answers = await Promise.all(Array.from({ length: 6 }, () => gw.gql(QUERY)));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.packages.nodes).toHaveLength(3);
    }
    expect(gw.sandbox.cf.uaaTokens.issuedCount).toBe(before + 1);
    const calls = cfCalls(gw);
    // Cloud Controller refused the expired token (as CF does), one token request renewed it, the calls went again.
    expect(calls.filter((c) => c.path === '/v3/packages' && c.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c.path === '/oauth/token')).toEqual([{ path: '/oauth/token', status: 200 }]);
    // Identical reads in flight at once share one request (upstreams/shared/coalescing.ts): the six concurrent
    // queries ask Cloud Controller at least once and at most once each.
    const answered = calls.filter((c) => c.path === '/v3/packages' && c.status === 200).length;
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThanOrEqual(6);
  });

  it('never logs the client secret or a token', () => {
    const logged = JSON.stringify(gw.logLines);
    expect(logged).not.toContain(CLIENT.secret);
    expect(logged).not.toMatch(/uaa-[\w-]{20,}/);
  });
});

describe('a UAA client with a wrong secret, at a configured CF_UAA_URL', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      config: (c) => ({
        ...c,
        serviceCredentials: {
          ...c.serviceCredentials,
          cf: { clientId: CLIENT.id, clientSecret: 'not-the-secret', uaaUrl: c.upstreams.cf!.url },
        },
      }),
    });
  });
  afterAll(() => gw.close());

  it('fails only the Cloud Foundry fields, naming UAA and the variables, never the secret', async () => {
    const res = await gw.gql(QUERY);
    expect(res.data!.packages).toBeNull();
    expect(res.data!.images.nodes).toHaveLength(1);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cf' });
    expect(res.errors![0]!.message).toBe(
      'Cloud Foundry is unavailable: UAA refused the client credentials (HTTP 401): check CF_CLIENT_ID and CF_CLIENT_SECRET',
    );
    expect(JSON.stringify(res)).not.toContain('not-the-secret');
    // No discovery: the configured URL is used.
    expect(cfCalls(gw).map((c) => c.path)).toEqual(['/oauth/token']);
  });
});

it('renews a token ahead of its expiry', async () => {
  const gw = await startTestGateway({ sandbox: { cfTokenLifetimeSeconds: 600 } });
  try {
    let now = 1_000_000;
    const source = new UaaTokenSource({
      apiUrl: gw.sandbox.cf.url,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      timeoutMs: 5_000,
      now: () => now,
    });
    const first = await source.headers(NO_DEADLINE);
    expect(first.authorization).toMatch(/^Bearer uaa-/);
    now += 500_000; // within the token's lifetime (599 s), before the last tenth of it
    expect(await source.headers(NO_DEADLINE)).toBe(first);
    now += 45_000; // into the last tenth: renewed before Cloud Controller would refuse it
    const second = await source.headers(NO_DEADLINE);
    expect(second.authorization).not.toBe(first.authorization);
    expect(gw.sandbox.cf.uaaTokens.issuedCount).toBe(2);
  } finally {
    await gw.close();
  }
});
