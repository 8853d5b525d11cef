import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/index.js';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const IMAGES = `{ __typename images(first: 3) { nodes { id hubId } } }`;

describe('without any credentials', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: (c) => ({ ...c, serviceCredentials: {} }) });
  });
  afterAll(() => gw.close());

  it('fails the Cycle fields with UNAUTHENTICATED before any upstream request; the rest answers', async () => {
    const res = await gw.gql(IMAGES);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __typename: 'Query', images: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstream: 'cycle' });
    expect(res.errors![0]!.message).toMatch(/x-cycle-authorization/);
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('uses forwarded credentials for that request only', async () => {
    const headers = {
      'x-cycle-authorization': `Bearer ${DEMO_TENANT.cycle.apiKey}`,
      'x-cycle-hub-id': DEMO_TENANT.cycle.hubId,
    };
    const res = await gw.gql(IMAGES, {}, headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.images.nodes[0].hubId).toBe(DEMO_TENANT.cycle.hubId);
    const next = await gw.gql(IMAGES);
    expect(codes(next)).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts a bare key and adds the Bearer scheme', async () => {
    const res = await gw.gql(
      IMAGES,
      {},
      { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId },
    );
    expect(res.errors).toBeUndefined();
  });

  it.each([
    [
      'a key without the hub id',
      { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey },
      'x-cycle-authorization was sent without x-cycle-hub-id',
    ],
    [
      'a hub id without the key',
      { 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId },
      'x-cycle-hub-id was sent without x-cycle-authorization',
    ],
    [
      'a hub id that is not 24 hex',
      { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey, 'x-cycle-hub-id': 'hub-SECRET-ish-value' },
      'x-cycle-hub-id is not a Cycle hub id',
    ],
    [
      'a key under another scheme',
      { 'x-cycle-authorization': `Basic ${DEMO_TENANT.cycle.apiKey}`, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId },
      'x-cycle-authorization must be an API key',
    ],
  ])('refuses %s with BAD_USER_INPUT naming the header, before any request', async (_label, headers, problem) => {
    gw.sandbox.resetRequests();
    const res = await gw.gql(IMAGES, {}, headers as Record<string, string>);
    expect(res.data).toEqual({ __typename: 'Query', images: null });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions).toMatchObject({ upstream: 'cycle' });
    expect(res.errors![0]!.message).toContain(problem);
    expect(JSON.stringify(res)).not.toContain(DEMO_TENANT.cycle.apiKey);
    expect(JSON.stringify(res)).not.toContain('SECRET-ish');
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });
});

describe('with service credentials', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { secondTenant: true } });
  });
  afterAll(() => gw.close());

  it('lets forwarded credentials win over the service credentials', async () => {
    const service = await gw.gql(IMAGES);
    const forwarded = await gw.gql(
      IMAGES,
      {},
      { 'x-cycle-authorization': SECOND_TENANT.cycle.apiKey, 'x-cycle-hub-id': SECOND_TENANT.cycle.hubId },
    );
    expect(service.data!.images.nodes[0].hubId).toBe(DEMO_TENANT.cycle.hubId);
    expect(forwarded.data!.images.nodes[0].hubId).toBe(SECOND_TENANT.cycle.hubId);
  });

  it('maps a refused key to UNAUTHENTICATED and a foreign hub to FORBIDDEN, naming Cycle and its status', async () => {
    const badKey = await gw.gql(
      IMAGES,
      {},
      { 'x-cycle-authorization': 'Bearer not-a-key', 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId },
    );
    expect(badKey.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstream: 'cycle', status: 401 });
    const wrongHub = await gw.gql(
      IMAGES,
      {},
      { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey, 'x-cycle-hub-id': SECOND_TENANT.cycle.hubId },
    );
    expect(wrongHub.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: 'cycle',
      status: 403,
      upstreamCode: '403.wrong-hub',
    });
    expect(JSON.stringify([badKey, wrongHub])).not.toContain('not-a-key');
  });

  it('never passes on the upstream body, URL or headers of a failure', async () => {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 502, body: 'html', times: 3 });
    const html = await gw.gql(IMAGES);
    expect(html.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle', status: 502 });
    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 500, times: 1 });
    const failed = await gw.gql(IMAGES);
    expect(failed.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: 'cycle', status: 500 });
    const text = JSON.stringify([html, failed]);
    expect(text).not.toMatch(/<html|nginx|127\.0\.0\.1|\/v1\/images\?|authorization/i);
    expect(html.status).toBe(200);
  });
});

describe('HTTP surface', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('answers GET queries that carry a preflight header, and refuses simple GETs (CSRF)', async () => {
    const url = `${gw.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const text = await allowed.text();
    expect(JSON.parse(text)).toMatchObject({ data: { __typename: 'Query' } });
    // A complete answer is sent with its length, not chunked.
    expect(allowed.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
  });

  it('refuses mutations over GET', async () => {
    const url = `${gw.url}/graphql?query=${encodeURIComponent('mutation { _ping }')}`;
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
  });

  it('answers malformed JSON with a clear 400 and keeps serving', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect((await gw.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('serves health, readiness, and a 404 elsewhere', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${gw.url}/nope`)).status).toBe(404);
  });

  it('serves GraphiQL and its assets from the gateway itself, under a same-origin CSP', async () => {
    const page = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    // Paths on the gateway (the `data:` favicon is not fetched).
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(6);
    for (const asset of assets) expect((await fetch(`${gw.url}${asset}`)).status).toBe(200);
    const forBrowser = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(forBrowser.headers.get('content-type')).toContain('text/html');
  });
});
