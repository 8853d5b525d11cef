/**
 * The total deadline of an upstream exchange (`<UPSTREAM>_TOTAL_TIMEOUT_MS`), on its own, through the gateway: the
 * first-byte timeout is set far beyond it, so only the total deadline can end the slow exchange below.
 * (The deadline at each stage of an exchange, and its timer's clearing: test/unit/exchange.test.ts.)
 */
import { expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';
import { scrape } from '../helpers/prometheus.js';

// Long enough that no answered exchange comes near it on a loaded CI machine.
const DEADLINE_MS = 1_000;
const QUERY = `{ images(first: 1) { nodes { id } } }`;
const TIMEOUTS = { upstream: 'cycle', route: '/v1/images', method: 'GET' };

const gw = useTestGateway({
  env: { CYCLE_FIRST_BYTE_TIMEOUT_MS: '60000', CYCLE_TOTAL_TIMEOUT_MS: String(DEADLINE_MS), CYCLE_RETRIES: '0' },
});

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
