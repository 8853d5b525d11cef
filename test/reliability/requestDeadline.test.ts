/**
 * The per-request deadline (REQUEST_TIMEOUT_MS, issue 18): one upstream accepts connections and never answers, the
 * sandbox serves the other two. The slow fields fail with UPSTREAM_UNAVAILABLE naming the deadline, the others answer,
 * retries stop when the deadline leaves no room for another attempt, and every attempt is logged as it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startSilentServer, type SilentServer } from '../helpers/silentServer.js';

const QUERY = `{
  images(first: 2) { nodes { id } }
  packages(first: 2) { nodes { guid } }
  repositories(first: 2) { nodes { name } }
}`;

async function gatewayWithSilentCycle(env: Record<string, string>): Promise<[TestGateway, SilentServer]> {
  const silent = await startSilentServer();
  const gw = await startTestGateway({
    env,
    config: (c) => ({ ...c, upstreams: { ...c.upstreams, cycle: { ...c.upstreams.cycle!, url: silent.url } } }),
  });
  return [gw, silent];
}

function expectOthersAnswered(data: Record<string, any> | null | undefined): void {
  expect(data!.images).toBeNull();
  expect(data!.packages.nodes).toHaveLength(2);
  expect(data!.repositories.nodes).toHaveLength(2);
}

describe('a hanging upstream within the default first-byte timeout', () => {
  let gw: TestGateway;
  let silent: SilentServer;
  // The first-byte timeout (10 s by default) is far beyond the deadline: only the deadline can end the wait.
  beforeAll(async () => ([gw, silent] = await gatewayWithSilentCycle({ REQUEST_TIMEOUT_MS: '1500' })));
  afterAll(async () => {
    await gw.close();
    await silent.close();
  });

  it('answers the other upstreams and fails the slow fields by the deadline', { timeout: 20_000 }, async () => {
    const res = await gw.gql(QUERY);
    expectOthersAnswered(res.data);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['images']);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' });
    expect(res.errors![0]!.message).toBe(
      "Cycle is unavailable: no answer within the request's deadline (REQUEST_TIMEOUT_MS, 1500 ms)",
    );
    // One attempt: the deadline ended it, and no time was left to retry.
    expect(silent.connections).toBe(1);
  });
});

describe('a hanging upstream with a first-byte timeout below the deadline', () => {
  let gw: TestGateway;
  let silent: SilentServer;
  beforeAll(
    async () =>
      ([gw, silent] = await gatewayWithSilentCycle({
        REQUEST_TIMEOUT_MS: '3000',
        CYCLE_FIRST_BYTE_TIMEOUT_MS: '400',
        CYCLE_RETRIES: '10',
        RETRY_BUDGET_PER_REQUEST: '100',
      })),
  );
  afterAll(async () => {
    await gw.close();
    await silent.close();
  });

  it('retries only while the deadline allows, logging each attempt as it ends', { timeout: 20_000 }, async () => {
    const answer = gw.gql(QUERY);
    // The second connection means the first attempt timed out: its line is written, the request still open.
    await silent.connection(2);
    const attemptLines = gw.logLines.filter((l) => l.msg === 'upstream request' && l.upstream === 'cycle');
    expect(attemptLines.length).toBeGreaterThanOrEqual(1);
    expect(attemptLines[0]).toMatchObject({ level: 'debug', method: 'GET', path: '/v1/images', status: 0 });
    expect(gw.logLines.some((l) => l.msg === 'graphql request')).toBe(false);

    const res = await answer;
    expectOthersAnswered(res.data);
    expect(res.errors!.map((e) => [e.extensions!.code, e.extensions!.upstream])).toEqual([
      ['UPSTREAM_UNAVAILABLE', 'cycle'],
    ]);
    expect(res.errors![0]!.message).toMatch(/deadline \(REQUEST_TIMEOUT_MS, 3000 ms\)/);
    // Ten retries were allowed by the policy and the budget; the deadline stopped them first.
    expect(silent.connections).toBeGreaterThanOrEqual(2);
    expect(silent.connections).toBeLessThan(11);
    const cycleLines = gw.logLines.filter((l) => l.msg === 'upstream request' && l.upstream === 'cycle');
    expect(cycleLines).toHaveLength(silent.connections);
  });
});
