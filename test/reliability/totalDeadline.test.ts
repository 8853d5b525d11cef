/**
 * The total deadline of an upstream exchange (`<UPSTREAM>_TOTAL_TIMEOUT_MS`), on its own: the first-byte timeout is
 * set far beyond it, so only the total deadline can end the slow exchange below. Each exchange's deadline timer is
 * cleared when the exchange ends, so a deadline that passes after its answer arrived counts nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';

// Long enough that no answered exchange comes near it on a loaded CI machine.
const DEADLINE_MS = 1_000;
const QUERY = `{ images(first: 1) { nodes { id } } }`;
const TIMEOUTS = { upstream: 'cycle', route: '/v1/images', method: 'GET' };

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    env: { CYCLE_FIRST_BYTE_TIMEOUT_MS: '60000', CYCLE_TOTAL_TIMEOUT_MS: String(DEADLINE_MS), CYCLE_RETRIES: '0' },
  });
});
afterAll(() => gw.close());

it('ends an exchange that outlives the total deadline with UPSTREAM_UNAVAILABLE naming Cycle, and keeps serving', async () => {
  gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: 4_000, times: 1 });
  const slow = await gw.gql(QUERY);
  expect(slow.data).toEqual({ images: null });
  expect(slow.errors).toHaveLength(1);
  expect(slow.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' });
  expect(slow.errors![0]!.message).toMatch(/timed out/);
  expect((await scrape(`${gw.url}/metrics`)).value('imagegraph_upstream_timeouts_total', TIMEOUTS)).toBe(1);

  const next = await gw.gql(QUERY);
  expect(next.errors).toBeUndefined();
  expect(next.data!.images).not.toBeNull();
});

it('counts no timeout when the deadline of an answered exchange passes later', async () => {
  const before = (await scrape(`${gw.url}/metrics`)).value('imagegraph_upstream_timeouts_total', TIMEOUTS) ?? 0;
  for (let i = 0; i < 5; i++) expect((await gw.gql(QUERY)).errors).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + 200));
  expect((await gw.gql(QUERY)).errors).toBeUndefined();
  const after = await scrape(`${gw.url}/metrics`);
  expect(after.value('imagegraph_upstream_timeouts_total', TIMEOUTS) ?? 0).toBe(before);
  expect(after.value('imagegraph_upstream_requests_total', { ...TIMEOUTS, status: 'timeout' }) ?? 0).toBe(before);
});
