import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { persistedQuery, sha256 } from '../helpers/apq.js';
import { codes, postJson, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';

const QUERY = `query Persisted { images(first: 2) { nodes { id name } } }`;
const HASH = sha256(QUERY);
const CALLER_A = { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };
const CALLER_B = { 'x-cycle-authorization': 'another-callers-cycle-key', 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };

describe('automatic persisted queries, in memory', () => {
  let gw: TestGateway;
  const unexpected: unknown[] = [];
  beforeAll(async () => {
    gw = await startTestGateway({ onUnexpected: (error) => unexpected.push(error) });
  });
  afterEach(() => expect(unexpected).toEqual([]));
  afterAll(() => gw.close());

  it('serves a registered query by hash to the caller that registered it, and to no other caller', async () => {
    const notYet = await persistedQuery(gw.url, HASH, undefined, CALLER_A);
    expect(codes(notYet)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await persistedQuery(gw.url, HASH, QUERY, CALLER_A);
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.images.nodes).toHaveLength(2);

    gw.sandbox.resetRequests();
    const byHash = await persistedQuery(gw.url, HASH, undefined, CALLER_A);
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
    expect(gw.sandbox.cycle.requests()).toHaveLength(1);

    expect(codes(await persistedQuery(gw.url, HASH, undefined, CALLER_B))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // No credential headers at all (service credentials) is a caller of its own too.
    expect(codes(await persistedQuery(gw.url, HASH, undefined))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // The gateway token is part of the caller's identity as well.
    expect(
      codes(
        await persistedQuery(gw.url, HASH, undefined, {
          ...CALLER_A,
          authorization: 'Bearer some-gateway-token-value',
        }),
      ),
    ).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const metrics = await scrape(`${gw.url}/metrics`);
    expect(metrics.value('imagegraph_persisted_queries_total', { result: 'register' })).toBe(1);
    expect(metrics.value('imagegraph_persisted_queries_total', { result: 'hit' })).toBe(1);
    expect(metrics.value('imagegraph_persisted_queries_total', { result: 'miss' })).toBe(4);
  });

  it('works over GET too', async () => {
    const query = `query PersistedGet { images(first: 1) { nodes { id } } }`;
    const extensions = encodeURIComponent(
      JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } }),
    );
    expect((await persistedQuery(gw.url, sha256(query), query, CALLER_A)).errors).toBeUndefined();
    const response = await fetch(`${gw.url}/graphql?extensions=${extensions}`, {
      headers: { ...CALLER_A, 'apollo-require-preflight': 'true' },
    });
    const body = (await response.json()) as { data?: { images: { nodes: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.images.nodes).toHaveLength(1);
  });

  it('refuses a hash that does not match the query, and stores no query that fails validation', async () => {
    const mismatch = await persistedQuery(gw.url, sha256('something else'), QUERY, CALLER_A);
    expect(mismatch.status).toBe(400);
    expect(mismatch.errors?.[0]?.message).toMatch(/provided sha does not match query/);
    expect(codes(mismatch)).toEqual(['BAD_REQUEST']);
    const badVersion = await postJson(`${gw.url}/graphql`, {
      query: QUERY,
      extensions: { persistedQuery: { version: 2, sha256Hash: HASH } },
    });
    expect(badVersion.status).toBe(400);
    expect(badVersion.errors?.[0]).toMatchObject({
      message: 'Unsupported persisted query version',
      extensions: { code: 'BAD_REQUEST' },
    });

    const invalid = `query Invalid { noSuchField }`;
    expect(codes(await persistedQuery(gw.url, sha256(invalid), invalid, CALLER_A))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(codes(await persistedQuery(gw.url, sha256(invalid), undefined, CALLER_A))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });
});

it('can be switched off (PERSISTED_QUERIES=false)', async () => {
  const gw = await startTestGateway({ env: { PERSISTED_QUERIES: 'false' } });
  try {
    expect(codes(await persistedQuery(gw.url, HASH, QUERY, CALLER_A))).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect((await gw.gql(QUERY)).errors).toBeUndefined();
  } finally {
    await gw.close();
  }
});
