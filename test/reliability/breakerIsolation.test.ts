/**
 * Issue 23: one caller's failures never fail another caller's requests. Caller A forwards a Cycle key the upstream
 * answers 503 to (a fault for that Authorization only); it hammers the gateway in four loops while caller B (the
 * service credentials) and caller C (another forwarded key) read the same list. A's circuit opens and A fails fast
 * with the documented code; B's and C's calls all succeed, and their circuits stay closed.
 */
import { expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';
import type { GraphQLResponse } from '../helpers/gateway.js';

const gw = useTestGateway({
  sandbox: { secondTenant: true },
  // The defaults but a short backoff (the loops stay bounded in time) and a reset timeout longer than the test, so
  // A's circuit stays open to the end however slowly a loaded machine runs the loops.
  env: { CYCLE_RETRY_BASE_DELAY_MS: '5', CYCLE_BREAKER_RESET_MS: '120000' },
});

const QUERY = `{ images(first: 2) { nodes { id } } }`;
const A_KEY = 'tenant-a-cycle-key-the-upstream-fails';
const CALLER_A = { 'x-cycle-authorization': A_KEY, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };
const CALLER_C = { 'x-cycle-authorization': SECOND_TENANT.cycle.apiKey, 'x-cycle-hub-id': SECOND_TENANT.cycle.hubId };
const A_LOOPS = 4;
const A_PER_LOOP = 30;
const VICTIM_REQUESTS = 60;

const failedFast = (res: GraphQLResponse) =>
  res.errors?.some((e) => e.extensions?.code === 'UPSTREAM_UNAVAILABLE' && /circuit is open/.test(e.message)) ?? false;

it("opens the failing caller's circuit only: the other callers keep succeeding", async () => {
  gw.expectUpstream('cycle GET /v1/images');
  gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 503, authorization: `Bearer ${A_KEY}` });

  const aResults: GraphQLResponse[] = [];
  const victims: { caller: string; res: GraphQLResponse }[] = [];
  let aDone = 0;
  const aLoops = Array.from({ length: A_LOOPS }, async () => {
    for (let i = 0; i < A_PER_LOOP; i++) aResults.push(await gw.gql(QUERY, {}, CALLER_A));
    aDone += 1;
  });
  // The victims read while A's loops run (and a little after: the loop ends at its count, whatever A does).
  const victimLoop = (async () => {
    for (let i = 0; i < VICTIM_REQUESTS; i++) {
      const b = await gw.gql(QUERY);
      const c = await gw.gql(QUERY, {}, CALLER_C);
      victims.push({ caller: 'B', res: b }, { caller: 'C', res: c });
    }
  })();
  await Promise.all([...aLoops, victimLoop]);
  expect(aDone).toBe(A_LOOPS);

  const victimFailures = victims.filter(({ res }) => res.errors !== undefined);
  const aFailedFast = aResults.filter(failedFast).length;
  console.log(
    `victims failed ${victimFailures.length} of ${victims.length}; A: ${aFailedFast} of ${aResults.length} failed fast, ` +
      `${aResults.length - aFailedFast} failed on the upstream's answer`,
  );
  expect(victimFailures.map(({ caller, res }) => `${caller}: ${res.errors?.[0]?.message}`)).toEqual([]);
  for (const { res } of victims) expect(res.data?.images.nodes).toHaveLength(2);

  // A failed on every request: first with the upstream's 503, then fast, with the documented code and message.
  expect(aResults.every((res) => res.errors !== undefined)).toBe(true);
  expect(aFailedFast).toBeGreaterThan(aResults.length / 2);
  const fast = aResults.find(failedFast)!.errors![0]!;
  expect(fast.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' });
  expect(fast.message).not.toContain(A_KEY);

  // A's circuit is open: A's request does not reach the upstream. B's and C's are closed: each reaches it once.
  gw.sandbox.resetRequests();
  expect(failedFast(await gw.gql(QUERY, {}, CALLER_A))).toBe(true);
  expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  expect((await gw.gql(QUERY)).errors).toBeUndefined();
  expect((await gw.gql(QUERY, {}, CALLER_C)).errors).toBeUndefined();
  expect(gw.sandbox.cycle.requests()).toHaveLength(2);
}, 60_000);
