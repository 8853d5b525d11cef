/**
 * The upstream HTTP client on its own, the measurement behind src/upstreams/shared/exchange.ts: CPU time per GET for
 * undici's `Pool.request` (the body as a Readable stream, the deadline as an `AbortSignal.timeout`) against
 * `bufferedExchange` (the dispatch API, the body buffered, a cleared deadline timer), in rounds that alternate the two
 * (and which goes first) in this process, against the sandbox in its own process:
 *   npm run bench:client -- [seconds per round, default 3] [rounds, default 3]
 * Both read Cycle's one-image response (about 1.3 KB) and its 20-image page (about 28.6 KB) and parse the JSON.
 */
import { Pool } from 'undici';
import { bufferedExchange } from '../src/upstreams/shared/exchange.js';
import { directHeaders, startSandboxProcess } from './processes.js';

const CONCURRENCY = 10;
const DEADLINE_MS = 15_000;

type Client = (pool: Pool, path: string, headers: Record<string, string>) => Promise<unknown>;

/** A measured request must be the intended one: a 401 would be cheaper and mean nothing. */
function ok(status: number): void {
  if (status !== 200) throw new Error(`the sandbox answered ${status}`);
}

const clients: Record<string, Client> = {
  'Pool.request': async (pool, path, headers) => {
    const response = await pool.request({ method: 'GET', path, headers, signal: AbortSignal.timeout(DEADLINE_MS) });
    ok(response.statusCode);
    return JSON.parse(await response.body.text());
  },
  bufferedExchange: async (pool, path, headers) => {
    const response = await bufferedExchange(pool, { method: 'GET', path, headers }, DEADLINE_MS);
    ok(response.status);
    return JSON.parse(response.body.toString('utf8'));
  },
};

/** CPU µs (this process: user + system) per request over `seconds`, with CONCURRENCY requests in flight. */
async function measure(
  client: Client,
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  let requests = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await client(pool, path, headers);
        requests += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return requests > 0 ? (cpu.user + cpu.system) / requests : Number.NaN;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 3);
  const rounds = Number(process.argv[3] ?? 3);
  const sandbox = await startSandboxProcess('tsx');
  const pool = new Pool(sandbox.urls.cycle, { connections: 32 });
  try {
    const headers = { accept: 'application/json', ...directHeaders('cycle') };
    const first = (await clients.bufferedExchange!(pool, '/v1/images?page[size]=1', headers)) as {
      data: { id: string }[];
    };
    const paths = {
      'one image': `/v1/images/${first.data[0]!.id}`,
      '20-image page': '/v1/images?page[number]=1&page[size]=20',
    };
    for (const [body, path] of Object.entries(paths)) {
      for (const client of Object.values(clients)) await measure(client, pool, path, headers, 1); // warm-up
      for (let round = 1; round <= rounds; round += 1) {
        // Pool.request's AbortSignal timers outlive its turn: alternate which client goes first.
        const order = round % 2 ? Object.entries(clients) : Object.entries(clients).reverse();
        const figures = new Map<string, string>();
        for (const [name, client] of order)
          figures.set(name, `${name} ${(await measure(client, pool, path, headers, seconds)).toFixed(1)} µs`);
        console.log(
          `${body}, round ${round}/${rounds}: ${Object.keys(clients)
            .map((name) => figures.get(name))
            .join(', ')} of CPU per request`,
        );
      }
    }
  } finally {
    await pool.close();
    await sandbox.child.stop();
  }
}

await main();
