/**
 * Retry budgets per caller (issue 23): a caller whose key the upstream keeps failing spends its own retries to that
 * upstream, and another caller's retries are untouched. The breaker is kept out of the way (a volume it never
 * reaches) so that only the budgets decide.
 */
import { expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({
  env: {
    CYCLE_RETRIES: '2',
    CYCLE_RETRY_BASE_DELAY_MS: '1',
    CYCLE_BREAKER_VOLUME: '100000',
    // A caller's budget: 10 retries to start with, one more a second, none earned by calls.
    CYCLE_RETRY_BUDGET_MIN_PER_SECOND: '1',
    CYCLE_RETRY_BUDGET_PERCENT: '0',
  },
});

const QUERY = `{ images(first: 1) { nodes { id } } }`;
const A_KEY = 'tenant-a-cycle-key-that-keeps-failing';
const CALLER_A = { 'x-cycle-authorization': A_KEY, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };

it("spends a failing caller's retries only: another caller still retries", async () => {
  gw.expectUpstream('cycle GET /v1/images');
  gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 503, authorization: `Bearer ${A_KEY}` });
  const started = Date.now();
  const REQUESTS = 15;
  for (let i = 0; i < REQUESTS; i++) expect((await gw.gql(QUERY, {}, CALLER_A)).errors).toBeDefined();
  const seconds = Math.ceil((Date.now() - started) / 1000);
  const aAttempts = gw.sandbox.cycle.requests().length;
  // Without a caller budget: 15 requests × 3 attempts. With it: 15 first attempts and the 10 retries it started
  // with, plus one a second of the run.
  expect(aAttempts).toBeGreaterThanOrEqual(REQUESTS + 10);
  expect(aAttempts).toBeLessThanOrEqual(REQUESTS + 10 + seconds);
  expect(aAttempts).toBeLessThan(REQUESTS * 3);

  // The service credentials' first attempt fails once; their own budget retries it.
  gw.sandbox.resetRequests();
  gw.sandbox.cycle.injectFault({
    path: '/v1/images',
    status: 503,
    times: 1,
    authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`,
  });
  const b = await gw.gql(QUERY);
  expect(b.errors).toBeUndefined();
  expect(gw.sandbox.cycle.requests().map((r) => r.status)).toEqual([503, 200]);
});
