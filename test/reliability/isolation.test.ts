/**
 * Callers kept apart (issue 6): two callers with different credentials on all three upstreams, interleaved under
 * concurrent load. Each caller's answer is deterministic, so every response must equal that caller's own baseline.
 */
import { expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ sandbox: { secondTenant: true }, config: (c) => ({ ...c, serviceCredentials: {} }) });

const QUERY = `{
  images(first: 10) { nodes { id hubId name source { id name } creator { __typename } } }
  packages(first: 10) { totalCount nodes { guid state app { guid name } } }
  repositories(first: 10) { nodes { name registry { host } } }
}`;

function headersOf(tenant: SandboxTenant): Record<string, string> {
  return {
    'x-cycle-authorization': tenant.cycle.apiKey,
    'x-cycle-hub-id': tenant.cycle.hubId,
    'x-cf-authorization': tenant.cf.token,
    'x-dockercloud-authorization': `Basic ${Buffer.from(`${tenant.dockercloud.username}:${tenant.dockercloud.apiKey}`).toString('base64')}`,
  };
}

it("never answers one caller with the other caller's data under concurrent load", async () => {
  const callers = [DEMO_TENANT, SECOND_TENANT].map((tenant) => ({ tenant, headers: headersOf(tenant) }));
  const baselines = new Map<SandboxTenant, string>();
  for (const { tenant, headers } of callers) {
    const res = await gw.gql(QUERY, {}, headers);
    expect(res.errors).toBeUndefined();
    baselines.set(tenant, JSON.stringify(res.data));
  }
  expect(baselines.get(DEMO_TENANT)).not.toBe(baselines.get(SECOND_TENANT));

  const ROUNDS = 15;
  const PER_ROUND = 16;
  let checked = 0;
  let crossed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const batch = Array.from({ length: PER_ROUND }, (_, i) => callers[(i + round) % 2]!);
    const results = await Promise.all(
      batch.map(async ({ tenant, headers }) => ({ tenant, res: await gw.gql(QUERY, {}, headers) })),
    );
    for (const { tenant, res } of results) {
      expect(res.errors).toBeUndefined();
      checked += 1;
      if (JSON.stringify(res.data) !== baselines.get(tenant)) crossed += 1;
    }
  }
  expect(checked).toBe(ROUNDS * PER_ROUND);
  expect(crossed).toBe(0);
});
