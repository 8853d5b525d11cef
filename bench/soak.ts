/**
 * `npm run load`: a bounded load and soak run on loopback (issue 6). Concurrent clients mix queries and mutations
 * over all three upstreams while faults are injected into the emulators, for a set time. It prints requests, errors by
 * code (expected ones, caused by the injected faults, apart from unexpected ones), p50/p99 latency and the gateway's
 * RSS at start and end. It exits non-zero on any unexpected error or on RSS growth above the allowed share.
 *
 *   npm run load -- --duration 300 --clients 8       (the 5-minute soak)
 *   npm run load -- --duration 30 --from dist        (against the compiled build; `npm run build` first)
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { percentile } from './load.js';
import { resetLogs } from './measure.js';
import {
  distProblem,
  memoryOf,
  startGatewayProcess,
  startSandboxProcess,
  type CodeFrom,
  type UpstreamName,
} from './processes.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    clients: { type: 'string', default: '8' },
    from: { type: 'string', default: 'tsx' },
    'fault-every': { type: 'string', default: '2' },
    'max-rss-growth': { type: 'string', default: '20' },
  },
});

const DURATION_S = Number(args.duration);
const CLIENTS = Number(args.clients);
const FAULT_EVERY_S = Number(args['fault-every']);
const MAX_RSS_GROWTH_PCT = Number(args['max-rss-growth']);
const FROM = args.from as CodeFrom;

/** Codes the injected faults cause: anything else is unexpected. */
const EXPECTED_UNDER_FAULTS = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNAVAILABLE', 'RATE_LIMITED']);

interface Operation {
  name: string;
  weight: number;
  document: string;
  variables?: () => Record<string, unknown>;
}

let sequence = 0;
const ids = { image: '', packageGuid: '' };

/** A mix of reads of every domain, cross-platform links, federation fetches and idempotent or self-cleaning writes. */
const MIX: Operation[] = [
  {
    name: 'images+relations',
    weight: 6,
    document: `{ images(first: 20) { nodes { id name source { name } creator { __typename ... on AccountCreator { name } } containersCount { total } } } }`,
  },
  {
    name: 'sources+images',
    weight: 2,
    document: `{ imageSources(first: 10) { nodes { name imagesCount { total } images(first: 3) { nodes { name } } } } }`,
  },
  {
    name: 'packages+apps',
    weight: 4,
    document: `{ packages(first: 50) { totalCount nodes { guid state app { name } } } }`,
  },
  {
    name: 'repositories+registries',
    weight: 4,
    document: `{ repositories(first: 25) { nodes { name registry { name host } } } }`,
  },
  {
    name: 'cross-platform',
    weight: 3,
    document: `{ packages(first: 20, filter: { types: [DOCKER] }) { nodes { image { repository { name registry { name } } } } } }`,
  },
  { name: 'jobs', weight: 1, document: `{ cycleJobs(first: 5) { nodes { id state operation } } }` },
  {
    name: 'rename image',
    weight: 2,
    document: `mutation($id: ID!, $name: String) { updateImage(id: $id, input: { name: $name }) { id name } }`,
    variables: () => ({ id: ids.image, name: `soak ${sequence % 7}` }),
  },
  {
    name: 'label package',
    weight: 2,
    document: `mutation($guid: ID!, $v: String) { updatePackage(guid: $guid, input: { metadata: { labels: [{ key: "soak", value: $v }] } }) { guid } }`,
    variables: () => ({ guid: ids.packageGuid, v: String(sequence % 5) }),
  },
  {
    name: 'register+remove repository',
    weight: 1,
    document: `mutation($name: String!) { registerRepository(name: $name, username: "soak", password: "soak-password") { name } removeRepository(name: $name) { name } }`,
    variables: () => ({ name: `quay.io/soak/r${sequence++}` }),
  },
];

const FAULT_TARGETS: { upstream: UpstreamName; path: string }[] = [
  { upstream: 'cycle', path: '/v1/images' },
  { upstream: 'cf', path: '/v3/packages' },
  { upstream: 'cf', path: '/v3/apps' },
  { upstream: 'dockercloud', path: '/api/repo/v1/repository/' },
  { upstream: 'dockercloud', path: '/api/repo/v1/registry/' },
];

const FAULT_KINDS: Record<string, unknown>[] = [
  { status: 500 },
  { status: 503, retryAfter: 1 },
  { status: 429, retryAfter: 1 },
  { delayMs: 12_000 },
  { reset: true },
  { body: 'malformed' },
  { body: 'truncated' },
  { status: 502, body: 'html' },
];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function weighted(operations: readonly Operation[]): Operation {
  let roll = Math.random() * operations.reduce((sum, op) => sum + op.weight, 0);
  for (const op of operations) if ((roll -= op.weight) < 0) return op;
  return operations[0]!;
}

interface Tally {
  requests: number;
  latencies: number[];
  byCode: Map<string, number>;
  unexpected: Map<string, number>;
  samples: string[];
}

function newTally(): Tally {
  return { requests: 0, latencies: [], byCode: new Map(), unexpected: new Map(), samples: [] };
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function client(pool: Pool, path: string, until: number, tally: Tally): Promise<void> {
  while (performance.now() < until) {
    const op = weighted(MIX);
    const started = performance.now();
    try {
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: op.document, variables: op.variables?.() }),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      tally.latencies.push(performance.now() - started);
      tally.requests += 1;
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      if (res.statusCode !== 200) {
        count(tally.unexpected, `HTTP ${res.statusCode}`);
        if (tally.samples.length < 5) tally.samples.push(`${op.name}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
      }
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code ?? 'NO_CODE';
        count(tally.byCode, code);
        if (!EXPECTED_UNDER_FAULTS.has(code)) {
          count(tally.unexpected, code);
          if (tally.samples.length < 5) tally.samples.push(`${op.name}: ${JSON.stringify(error).slice(0, 300)}`);
        }
      }
    } catch (error) {
      tally.requests += 1;
      count(tally.unexpected, `client: ${(error as Error).name}`);
      if (tally.samples.length < 5) tally.samples.push(`${op.name}: ${String(error)}`);
    }
  }
}

async function firstIds(url: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ images(first: 1) { nodes { id } } packages(first: 1) { nodes { guid } } }' }),
  });
  const body = (await res.json()) as {
    data: { images: { nodes: { id: string }[] }; packages: { nodes: { guid: string }[] } };
  };
  ids.image = body.data.images.nodes[0]!.id;
  ids.packageGuid = body.data.packages.nodes[0]!.guid;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${(bytes / 1048576).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  if (FROM === 'dist') {
    const problem = distProblem();
    if (problem) throw new Error(problem);
  }
  console.log(`soak: ${CLIENTS} clients, ${DURATION_S} s, a fault every ${FAULT_EVERY_S} s, code from ${FROM}`);
  const sandbox = await startSandboxProcess(FROM);
  const gateway = await startGatewayProcess(sandbox, { from: FROM, upstreamTrace: false });
  const stopAll = async () => {
    await gateway.child.stop();
    await sandbox.child.stop();
  };
  try {
    await firstIds(gateway.url);
    const origin = new URL(gateway.url);
    const pool = new Pool(origin.origin, { connections: CLIENTS });
    // Warm up for a few seconds, so the start RSS is the working set, not the freshly started process.
    const warmup = newTally();
    await Promise.all(
      Array.from({ length: CLIENTS }, () => client(pool, origin.pathname, performance.now() + 3_000, warmup)),
    );
    const tally = newTally();
    const rssStart = memoryOf(gateway.child.pid)?.rss;
    let rssPeak = rssStart ?? 0;

    const until = performance.now() + DURATION_S * 1000;
    let faults = 0;
    const faultTimer = setInterval(() => {
      const target = pick(FAULT_TARGETS);
      faults += 1;
      void fetch(`${sandbox.urls[target.upstream]}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          path: target.path,
          method: 'GET',
          times: 1 + Math.floor(Math.random() * 3),
          ...pick(FAULT_KINDS),
        }),
      }).then((r) => r.arrayBuffer());
    }, FAULT_EVERY_S * 1000);
    const progress = setInterval(() => {
      const rss = memoryOf(gateway.child.pid)?.rss ?? 0;
      rssPeak = Math.max(rssPeak, rss);
      // The emulators' request logs grow with every request: keep them small over a long soak.
      void resetLogs(sandbox);
      const left = Math.max(0, Math.round((until - performance.now()) / 1000));
      console.log(
        `  ${tally.requests} requests, ${[...tally.unexpected.values()].reduce((a, b) => a + b, 0)} unexpected, RSS ${mb(rss)}, ${left} s left`,
      );
    }, 10_000);

    await Promise.all(Array.from({ length: CLIENTS }, () => client(pool, origin.pathname, until, tally)));
    clearInterval(faultTimer);
    clearInterval(progress);
    const rssEnd = memoryOf(gateway.child.pid)?.rss;
    await pool.close();

    const sorted = Float64Array.from(tally.latencies).sort();
    const unexpectedTotal = [...tally.unexpected.values()].reduce((a, b) => a + b, 0);
    const growth = rssStart && rssEnd ? ((rssEnd - rssStart) / rssStart) * 100 : NaN;
    console.log('\nresults');
    console.log(
      `  requests         ${tally.requests} in ${DURATION_S} s (${Math.round(tally.requests / DURATION_S)} req/s), ${faults} faults injected`,
    );
    console.log(
      `  latency          p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`,
    );
    console.log(`  errors by code   ${[...tally.byCode].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`);
    console.log(
      `  unexpected       ${unexpectedTotal}${unexpectedTotal ? ` (${[...tally.unexpected].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
    );
    for (const sample of tally.samples) console.log(`    e.g. ${sample}`);
    console.log(
      `  gateway RSS      start ${mb(rssStart)}, end ${mb(rssEnd)}, peak ${mb(rssPeak)}, growth ${growth.toFixed(1)}%`,
    );
    process.exitCode = unexpectedTotal > 0 || !(growth <= MAX_RSS_GROWTH_PCT) ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
