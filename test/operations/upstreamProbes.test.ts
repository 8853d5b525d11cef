/**
 * Start-up and readiness (issue 18): one cheap authenticated read per upstream says whether it is configured,
 * credentialed and reachable; READINESS_PROBES_UPSTREAMS=true makes `/readyz` include the unreachable ones.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    env: { READINESS_PROBES_UPSTREAMS: 'true' },
    // Docker Cloud without service credentials: callers would forward their own.
    config: (c) => ({ ...c, serviceCredentials: { cycle: c.serviceCredentials.cycle!, cf: c.serviceCredentials.cf! } }),
  });
});
afterAll(() => gw.close());

it('reports each upstream: configured, credentialed, reachable', async () => {
  gw.sandbox.resetRequests();
  const statuses = await gw.gateway.probeUpstreams();
  expect(
    statuses.map(({ upstream, configured, credentialed, reachable }) => [
      upstream,
      configured,
      credentialed,
      reachable,
    ]),
  ).toEqual([
    ['cycle', true, true, true],
    ['cf', true, true, true],
    ['dockercloud', true, false, null],
  ]);
  // Authenticated reads, one each, nothing sent where no credentials are held.
  expect(gw.sandbox.cycle.requests().map((r) => [r.path, r.status])).toEqual([['/v1/images', 200]]);
  expect(gw.sandbox.cf.requests().map((r) => [r.path, r.status])).toEqual([['/v3/packages', 200]]);
  expect(gw.sandbox.dockercloud.requests()).toEqual([]);
});

it('makes /readyz name an upstream that does not answer', async () => {
  gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 503, times: 5 });
  const res = await fetch(`${gw.url}/readyz`);
  expect(res.status).toBe(503);
  const body = (await res.json()) as { status: string; notReady: string[] };
  expect(body.status).toBe('not ready');
  expect(body.notReady).toHaveLength(1);
  expect(body.notReady[0]).toMatch(/^cycle: Cycle /);
});
