/**
 * What hostile upstream bodies cost a gateway build: `npm run bench:hostile -- <build> [--only name,name]`.
 *
 * For each body below, a fresh gateway process of the build (a copy of `dist/`, run with the production heap flags of
 * the container image) points its Cycle upstream at a loopback server that answers every request with that body
 * (test/helpers/hostileUpstream.ts); one `images` query is sent while a bystander polls `/healthz` back to back.
 * Printed per body: the query's HTTP status and first error, its time, the gateway's own longest event-loop delay
 * during the query (`nodejs_eventloop_lag_max_seconds` of its /metrics, reset by the scrape before), the longest
 * `/healthz` wait a bystander saw (both add the time a loaded machine leaves the process without a core), the
 * gateway's CPU time over the query (all its threads, 10 ms ticks: on a loaded machine the steadier figure), the
 * peak RSS, the RSS 3 s later, and whether the process lived. The `baseline` body is a small ordinary page: its row
 * is the noise floor of the machine at the time.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGatewayProcess } from '../test/helpers/gatewayProcess.js';
import { startHostileUpstream, type HostileAnswer } from '../test/helpers/hostileUpstream.js';
import { rssMb, watchProcess } from '../test/helpers/processWatch.js';

const MB = 1024 * 1024;
const PRODUCTION_HEAP = ['--max-old-space-size=192', '--max-semi-space-size=8'];
const AT_BOUND = 4 * MB - 64;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const BODIES: Record<string, HostileAnswer> = {
  baseline: { kind: 'huge', bytes: 4096 },
  'huge-200MB': { kind: 'huge', bytes: 200 * MB },
  'deep-20MB': { kind: 'deep', bytes: 20 * MB },
  'deep-1MB': { kind: 'deep', bytes: MB },
  'declared-1GB': { kind: 'declared', declared: 1024 * MB, sent: 1000 },
  'gzip-bomb-100MB': { kind: 'gzip', inflated: 100 * MB },
  // Shapes within the bounds, at the default size bound: what an upstream can still make the gateway parse.
  'images-4MB': { kind: 'huge', bytes: AT_BOUND },
  'zeros-4MB': { kind: 'wide', bytes: AT_BOUND, unit: '0' },
  'empty-objects-4MB': { kind: 'wide', bytes: AT_BOUND, unit: '{}' },
  'empty-arrays-4MB': { kind: 'wide', bytes: AT_BOUND, unit: '[]' },
  'short-strings-4MB': { kind: 'wide', bytes: AT_BOUND, unit: '""' },
  'escapes-4MB': { kind: 'wide', bytes: AT_BOUND, unit: `"${'\\u0000'.repeat(1000)}"` },
  'nested-62-4MB': { kind: 'wide', bytes: AT_BOUND, unit: nested(62) },
  'keys-4MB': {
    kind: 'wide',
    bytes: AT_BOUND,
    unit: `{${Array.from({ length: 200 }, (_, i) => `"k${i}":0`).join(',')}}`,
  },
};

const QUERY = '{ images(first: 1) { edges { node { id name } } } }';

function postQuery(url: string): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(60_000),
  });
}

/** CPU time of `pid` so far (user + system, all threads), in ms; /proc counts it in ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The gateway's longest event-loop delay since the last scrape (prom-client resets it per scrape), in ms. */
async function eventLoopMaxMs(url: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1];
    return value === undefined ? null : Math.round(Number(value) * 1000);
  } catch {
    return null;
  }
}

async function measure(build: string, name: string, body: HostileAnswer) {
  const upstream = await startHostileUpstream();
  // Warm-up on a small body first: a fresh process's first requests compile and load what the measure must not count.
  upstream.answer({ kind: 'huge', bytes: 4096 });
  const gateway = await startGatewayProcess(
    {
      CYCLE_API_URL: upstream.url,
      CYCLE_API_KEY: 'hostile-bench-key',
      CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
      CYCLE_RETRIES: '0',
      CYCLE_TOTAL_TIMEOUT_MS: '30000',
      REQUEST_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'fatal',
      NODE_ENV: 'production',
    },
    45_000,
    [...PRODUCTION_HEAP, `${build}/src/main.js`],
  );
  try {
    for (let i = 0; i < 5; i++) await (await postQuery(gateway.url)).text();
    upstream.answer(body);
    const before = rssMb(gateway.pid);
    await eventLoopMaxMs(gateway.url);
    const cpuBefore = cpuMs(gateway.pid);
    const watch = watchProcess(gateway.url, gateway.pid);
    const started = performance.now();
    let status = 0;
    let error = '';
    try {
      const response = await postQuery(gateway.url);
      status = response.status;
      const answer = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      const first = answer.errors?.[0];
      error = first ? `${first.extensions?.code}: ${first.message}` : 'none';
    } catch (failure) {
      error = `no answer: ${(failure as Error).message}`;
    }
    const elapsedMs = Math.round(performance.now() - started);
    const eventLoopMax = await eventLoopMaxMs(gateway.url);
    let cpu: number | null = null;
    try {
      cpu = cpuMs(gateway.pid) - cpuBefore;
    } catch {
      // the process died
    }
    const watched = await watch.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = rssMb(gateway.pid);
    return {
      body: name,
      status,
      error: error.slice(0, 110),
      ms: elapsedMs,
      eventLoopMaxMs: eventLoopMax,
      cpuMs: cpu,
      longestHealthzMs: watched.longestHealthzMs,
      rssBefore: before,
      rssPeak: watched.peakRssMb,
      rssAfter3s: after,
      alive: after !== null,
    };
  } finally {
    await gateway.stop();
    await upstream.close();
  }
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' } } });
const build = positionals[0];
if (!build) {
  console.error('usage: npm run bench:hostile -- <build (a copy of dist/)> [--only name,name]');
  process.exit(2);
}
const names = values.only ? values.only.split(',') : Object.keys(BODIES);
console.log(`hostile upstream bodies against ${build} (heap ${PRODUCTION_HEAP.join(' ')})`);
for (const name of names) {
  const body = BODIES[name];
  if (!body) throw new Error(`no body ${name}: ${Object.keys(BODIES).join(', ')}`);
  console.log(JSON.stringify(await measure(build, name, body)));
}
