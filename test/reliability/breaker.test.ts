import { expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({
  env: {
    CYCLE_BREAKER_VOLUME: '3',
    CYCLE_BREAKER_ERROR_PERCENTAGE: '50',
    CYCLE_BREAKER_RESET_MS: '300',
    CYCLE_RETRIES: '0',
  },
});

const QUERY = `{ images(first: 1) { nodes { id } } }`;

it('opens after repeated failures, fails fast without calling the upstream, and closes after a successful probe', async () => {
  gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 500 });
  for (let i = 0; i < 3; i++) expect(codes(await gw.gql(QUERY))).toEqual(['UPSTREAM_ERROR']);

  gw.sandbox.resetRequests();
  const fast = await gw.gql(QUERY);
  expect(fast.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' });
  expect(fast.errors![0]!.message).toMatch(/circuit is open/);
  expect(gw.sandbox.cycle.requests()).toHaveLength(0);

  // Other upstreams are not affected by Cycle's breaker.
  const other = await gw.gql(`{ __typename }`);
  expect(other.errors).toBeUndefined();

  gw.sandbox.clearFaults();
  await new Promise((r) => setTimeout(r, 350));
  const probe = await gw.gql(QUERY);
  expect(probe.errors).toBeUndefined();
  expect(gw.sandbox.cycle.requests()).toHaveLength(1);
  for (let i = 0; i < 3; i++) expect((await gw.gql(QUERY)).errors).toBeUndefined();
});
