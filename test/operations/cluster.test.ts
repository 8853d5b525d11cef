/**
 * Cluster mode as operators run it: `WORKERS=2 node src/main.ts` (through tsx) is a primary with two gateway workers
 * sharing one port. Connections are spread over the workers, `/metrics` counts the whole cluster whichever worker
 * answers the scrape, a worker that dies is replaced, and SIGTERM stops everything gracefully.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';

let gateway: GatewayProcess;
beforeAll(async () => {
  // Three processes and a thread start through tsx on a machine that runs other test files meanwhile.
  gateway = await startGatewayProcess({ WORKERS: '2', SHUTDOWN_GRACE_MS: '2000' }, 80_000);
}, 90_000);
afterAll(async () => {
  await gateway?.stop();
});

/** POSTs one operation on a connection of its own (no keep-alive: the primary hands each new connection to a worker). */
function postOnNewConnection(url: string, query: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { connection: 'close' } });
  expect(res.status).toBe(200);
  return res.text();
}

const requestsOf = (metrics: string, operation: string) =>
  [
    ...metrics.matchAll(
      new RegExp(`^imagegraph_graphql_requests_total\\{operation="${operation}"[^}]*\\} (\\d+)$`, 'gm'),
    ),
  ].reduce((sum, m) => sum + Number(m[1]), 0);

const workerPids = (output: string) =>
  [...output.matchAll(/imagegraph worker \d+ \(pid (\d+)\) ready/g)].map((m) => Number(m[1]));

it('spreads connections over both workers and counts the whole cluster in /metrics', async () => {
  const sent = 24;
  for (let i = 0; i < sent; i++) {
    const res = await postOnNewConnection(gateway.url, 'query Spread { images(first: 2) { nodes { id } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  }
  // Log lines come on another pipe than the answers: give the last ones a moment.
  const spreadLines = () => [...gateway.output().matchAll(/"worker":(\d+),[^\n]*"operationName":"Spread"/g)];
  for (const deadline = Date.now() + 5_000; spreadLines().length < sent && Date.now() < deadline;)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(spreadLines()).toHaveLength(sent);
  expect(new Set(spreadLines().map((m) => m[1])).size).toBe(2);
  // Two scrapes on fresh connections (likely answered by different workers): both see every worker's requests.
  for (let i = 0; i < 2; i++) expect(requestsOf(await scrape(gateway.url), 'Spread')).toBe(sent);
}, 60_000);

it('replaces a worker that dies, and keeps serving', async () => {
  const [victim] = workerPids(gateway.output());
  expect(victim).toBeGreaterThan(0);
  process.kill(victim!, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (
    !new RegExp(`worker ${victim} exited \\(SIGKILL\\): starting another`).test(gateway.output()) ||
    workerPids(gateway.output()).length < 3
  ) {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let i = 0; i < 6; i++)
    expect((await postOnNewConnection(gateway.url, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
}, 60_000);

it('stops every worker gracefully on SIGTERM, then exits 0', async () => {
  expect(await gateway.stop()).toBe(0);
  const output = gateway.output();
  expect(output).toContain('SIGTERM: asking 2 workers to finish in-flight requests');
  expect(output.match(/the primary asked to shut down: finishing in-flight requests/g)).toHaveLength(2);
}, 60_000);
