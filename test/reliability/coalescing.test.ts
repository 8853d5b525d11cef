/**
 * Identical reads in flight at once share one upstream request (upstreams/shared/coalescing.ts), over real HTTP: the
 * sandbox's Cycle is slowed with its delay fault so that the reads overlap, and its request log counts what reached it.
 */
import { expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';
import { startTestGateway } from '../helpers/gateway.js';

const QUERY = `{ images(first: 20) { nodes { id name state { current } } } }`;
const CONCURRENT = 50;
// The figure is with Cycle at 400 ms (npm run bench:peers measures it); here the reads are held longer, so
// that all 50 requests reach the gateway while the first read is still out, even on a loaded two-core machine.
const SLOW_MS = 3_000;
// Each request's deadline: long enough for the slowed reads below, short enough for one waiter to give up first.
const REQUEST_TIMEOUT_MS = 6_000;

const gw = useTestGateway({
  sandbox: { secondTenant: true },
  env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), CYCLE_RETRIES: '0' },
});

function cycleHeaders(tenant: SandboxTenant): Record<string, string> {
  return { 'x-cycle-authorization': tenant.cycle.apiKey, 'x-cycle-hub-id': tenant.cycle.hubId };
}

function imageListReads(requests: string[]): number {
  return requests.filter((request) => request === 'cycle GET /v1/images').length;
}

it('answers 50 identical concurrent queries with one upstream request, each with the whole answer', async () => {
  gw.expectUpstream('cycle GET /v1/images');
  const alone = await gw.gql(QUERY);
  expect(alone.errors).toBeUndefined();
  gw.sandbox.resetRequests();

  gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: SLOW_MS });
  const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => gw.gql(QUERY)));
  gw.sandbox.clearFaults();

  for (const answer of answers) {
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(alone.data);
  }
  expect(imageListReads(gw.upstreamRequests())).toBe(1);
  // Each request's trace still names the read its answer came from.
  for (const answer of answers) expect(answer.extensions?.upstream?.calls).toBe(1);
});

it('never shares a read between callers with different credentials: one request each, each its own data', async () => {
  gw.expectUpstream('cycle GET /v1/images');
  gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: SLOW_MS });
  const tenants = [DEMO_TENANT, SECOND_TENANT, DEMO_TENANT, SECOND_TENANT];
  const answers = await Promise.all(tenants.map((tenant) => gw.gql(QUERY, {}, cycleHeaders(tenant))));
  gw.sandbox.clearFaults();

  for (const answer of answers) expect(answer.errors).toBeUndefined();
  expect(answers[0]!.data).toEqual(answers[2]!.data);
  expect(answers[1]!.data).toEqual(answers[3]!.data);
  expect(answers[0]!.data).not.toEqual(answers[1]!.data);
  expect(imageListReads(gw.upstreamRequests())).toBe(2);
});

it('lets a waiter whose deadline passes give up without breaking the waiters that stay', async () => {
  gw.expectUpstream('cycle GET /v1/images');
  // The read outlives the first request's deadline but not the second's, which joins it later.
  gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: REQUEST_TIMEOUT_MS + 1_000, times: 1 });
  const early = gw.gql(QUERY);
  await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS / 2 + 500));
  const late = gw.gql(QUERY);

  const gaveUp = await early;
  expect(gaveUp.data).toEqual({ images: null });
  expect(gaveUp.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' });
  expect(gaveUp.errors![0]!.message).toMatch(/deadline/);

  const stayed = await late;
  expect(stayed.errors).toBeUndefined();
  expect(stayed.data!.images.nodes).toHaveLength(20);
  expect(imageListReads(gw.upstreamRequests())).toBe(1);
});

it('sends every read when COALESCE_WAITERS is 0, and bounds the waiters of one read', async () => {
  for (const [waiters, expected] of [
    ['0', CONCURRENT],
    ['10', CONCURRENT / 10],
  ] as const) {
    const own = await startTestGateway({ env: { UPSTREAM_COALESCE_WAITERS: waiters, CYCLE_RETRIES: '0' } });
    try {
      own.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: SLOW_MS });
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => own.gql(QUERY)));
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const reads = own.sandbox.cycle.requests().filter((r) => r.method === 'GET' && r.path === '/v1/images');
      expect(reads).toHaveLength(expected);
    } finally {
      await own.close();
    }
  }
});
