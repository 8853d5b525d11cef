/**
 * The gateway process as operators run it (issues 23, 25, 27): a flood of SSE reservations on the production heap,
 * SIGTERM with subscriptions on a job still running, and SIGTERM with requests on kept-alive connections.
 */
import { request, Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TENANT, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';
import { scrape } from '../helpers/prometheus.js';
import { sseClient, watch, wsClient } from '../helpers/subscriptions.js';

/** The production image's heap flags (Dockerfile). */
const PRODUCTION_HEAP = ['--max-old-space-size=192', '--max-semi-space-size=8', '--import', 'tsx', 'src/main.ts'];

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  // Jobs run for 30 s: every subscription is on a job still running when the gateway stops.
  sandbox = await startSandbox({ jobDurationMs: 30_000 });
  env = {
    CYCLE_API_URL: sandbox.cycle.url,
    CYCLE_API_KEY: DEMO_TENANT.cycle.apiKey,
    CYCLE_HUB_ID: DEMO_TENANT.cycle.hubId,
    CF_API_URL: sandbox.cf.url,
    CF_CLIENT_ID: DEMO_TENANT.cf.client.id,
    CF_CLIENT_SECRET: DEMO_TENANT.cf.client.secret,
  };
});
afterAll(() => sandbox.close());

async function memory(gateway: GatewayProcess): Promise<{ heapMb: number; rssMb: number }> {
  const metrics = await scrape(`${gateway.url}/metrics`);
  return {
    heapMb: metrics.sum('nodejs_heap_size_used_bytes') / 2 ** 20,
    rssMb: metrics.sum('process_resident_memory_bytes') / 2 ** 20,
  };
}

it('stays bounded and serving under a flood of SSE reservations', { timeout: 180_000 }, async () => {
  const gateway = await startGatewayProcess({ ...env, LOG_LEVEL: 'warn' }, 45_000, PRODUCTION_HEAP);
  try {
    const before = await memory(gateway);
    // Bare `PUT /graphql`: no body, no credential (GATEWAY_TOKENS is unset). 20 loops, 20 000 requests or 90 s.
    const statuses = new Map<number, number>();
    const stopAt = Date.now() + 90_000;
    let sent = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (sent < 20_000 && Date.now() < stopAt) {
          sent++;
          const answer = await fetch(`${gateway.url}/graphql`, { method: 'PUT' });
          await answer.arrayBuffer();
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      }),
    );
    const after = await memory(gateway);
    console.info(
      `SSE reservation flood: ${sent} PUTs`,
      JSON.stringify({ statuses: Object.fromEntries(statuses), before, after }),
    );
    // One caller holds at most SSE_RESERVATIONS_PER_CALLER (16) at once; the rest are refused, memory stays flat.
    expect(statuses.get(201)).toBeLessThanOrEqual(16 * Math.ceil((90_000 + 30_000) / 30_000));
    expect(statuses.get(429)).toBeGreaterThan(sent / 2);
    expect(after.heapMb - before.heapMb).toBeLessThan(40);
    expect(after.rssMb).toBeLessThan(400);
    const query = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ images(first: 1) { nodes { id } } }' }),
    });
    expect(query.status).toBe(200);
  } finally {
    expect(await gateway.stop()).toBe(0);
  }
  expect(gateway.output()).not.toContain('heap out of memory');
});

it('tells every subscriber at SIGTERM that the job did not end', { timeout: 90_000 }, async () => {
  // A fresh 30 s job is invisible (404) for its first 3 s: the subscriptions wait for it.
  const gateway = await startGatewayProcess({
    ...env,
    SHUTDOWN_GRACE_MS: '5000',
    SUBSCRIPTION_UNKNOWN_GRACE_MS: '10000',
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return ((await answer.json()) as { data: any }).data;
  };
  const sources = await gql(`{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`);
  const source = sources.imageSources.nodes.find(
    (n: any) => n.origin.__typename === 'DockerHubOrigin' && n.state.current === 'LIVE',
  );
  const created = await gql(`mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`, {
    s: source.id,
  });
  const imported = await gql(`mutation($id: ID!) { importImage(id: $id) { id state } }`, {
    id: created.createImage.image.id,
  });
  const jobId: string = imported.importImage.id;
  const JOB = `subscription($id: ID!) { job(id: $id) { id state done } }`;
  const closes: { code: number; reason: string }[] = [];
  const ws = wsClient(gateway.url, {
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason });
      },
    },
  });
  const sse = sseClient(gateway.url);
  const overWs = watch(ws, JOB, { id: jobId });
  const overSse = watch(sse, JOB, { id: jobId });
  await Promise.all([overWs.first, overSse.first]);

  const exited = gateway.stop();
  await Promise.all([overWs.ended, overSse.ended]);
  expect(await exited).toBe(0);
  console.info('events at SIGTERM', JSON.stringify({ ws: overWs.events, sse: overSse.events, wsClose: closes }));
  for (const w of [overWs, overSse]) {
    expect(w.events[0]!.data!.job).toMatchObject({ id: jobId, done: false });
    expect(w.events.some((e) => e.data?.job?.done)).toBe(false);
    expect(w.events.at(-1)).toMatchObject({ data: null, errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] });
  }
  expect(closes).toEqual([{ code: 1001, reason: expect.stringMatching(/shutting down/) }]);
  const ends = gateway
    .stdout()
    .split('\n')
    .filter((line) => line.includes('"graphql subscription"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(ends.map((l) => [l.transport, l.ended, l.outcome]).sort()).toEqual([
    ['sse', 'shutdown', 'partial'],
    ['websocket', 'shutdown', 'partial'],
  ]);
  sse.dispose();
  await ws.dispose();
});

/** One POST over `agent`: its status and `connection` header, or how it failed. */
function post(url: string, agent: Agent): Promise<{ status: number; connection: string } | { error: string }> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const req = request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection ?? 'keep-alive') }),
        );
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

it(
  'answers requests on kept-alive connections after SIGTERM instead of resetting them',
  { timeout: 90_000 },
  async () => {
    const gateway = await startGatewayProcess({ ...env, SHUTDOWN_GRACE_MS: '5000' });
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      // Ten connections, open and idle.
      const warm = await Promise.all(Array.from({ length: 10 }, () => post(gateway.url, agent)));
      expect(warm.every((r) => 'status' in r && r.status === 200)).toBe(true);
      const exited = gateway.stop();
      const after = await Promise.all(Array.from({ length: 100 }, () => post(gateway.url, agent)));
      expect(await exited).toBe(0);
      const outcomes = new Map<string, number>();
      for (const r of after) {
        const key = 'status' in r ? `${r.status} connection: ${r.connection}` : r.error;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
      console.info('100 requests on kept-alive connections after SIGTERM', Object.fromEntries(outcomes));
      // Answered (the last answer on each connection says `connection: close`), or refused as a new connection once the
      // listener closed: never reset.
      expect(after.filter((r) => 'error' in r && r.error !== 'ECONNREFUSED')).toEqual([]);
      expect(after.some((r) => 'status' in r && r.connection === 'close')).toBe(true);
    } finally {
      agent.destroy();
      await gateway.stop();
    }
  },
);
