/**
 * `npm run bench:peers`: imagegraph side by side with Tailcall (the peer users pick for speed) on one sandbox, in
 * interleaved rounds, so that every figure is a ratio to the peer measured in the same run: each round loads each
 * gateway in turn (the order alternating between rounds) with the same two queries, and reads each gateway process's
 * CPU time per response, its req/s and the upstream calls per response from the sandbox's request log.
 *
 * Then the concurrent-identical workload: Cycle slowed to 400 ms with the sandbox's delay fault, 50 identical list
 * queries at once to each gateway, and the Cycle requests they cost (imagegraph as configured, and with
 * UPSTREAM_COALESCE_WAITERS=0, i.e. without sharing reads in flight).
 *
 * Tailcall's configuration is bench/peers/tailcall-cycle.graphql (copied from the project's anchor, see its header);
 * bench/peers/install-tailcall.sh installs it into bench/peers/.tailcall. Where that cannot run, Tailcall is skipped
 * with the reason and imagegraph is measured alone.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { treeCpuPerResponse } from './cpu.js';
import { runLoad, graphqlTarget, postGraphQL, type LoadRun } from './load.js';
import { countLogs, readLogs, resetLogs } from './measure.js';
import {
  distProblem,
  freePort,
  ROOT,
  startGatewayProcess,
  startSandboxProcess,
  type SandboxProcess,
} from './processes.js';
import { median } from './series.js';

const PEERS_DIR = `${ROOT}bench/peers`;
const TAILCALL_VERSION = '1.6.14';
const CONCURRENT_IDENTICAL = 50;
const SLOW_CYCLE_MS = 400;

/** The two queries, as each gateway's schema spells them; the same fields of the same 20 images. */
const QUERIES = {
  list: {
    title: '20 images',
    imagegraph: '{ images(first: 20) { nodes { id name size state { current } origin { type sourceId } } } }',
    tailcall: '{ images(first: 20) { id name size state { current } source { type details { id } } } }',
  },
  sources: {
    title: '20 images + source',
    imagegraph: '{ images(first: 20) { nodes { id name source { id name } } } }',
    tailcall: '{ images(first: 20) { id name imageSource { id name } } }',
  },
} as const;
type QueryName = keyof typeof QUERIES;

/** imagegraph as configured; imagegraph without sharing reads in flight (per-request cost alone); Tailcall. */
type PeerName = 'imagegraph' | 'imagegraph-unshared' | 'tailcall';

interface Peer {
  name: PeerName;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

interface Sample {
  peer: PeerName;
  query: QueryName;
  round: number;
  rps: number;
  cpuUsPerResponse: number | null;
  callsPerResponse: number;
  errors: number;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '5' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '1' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    tailcall: { type: 'boolean', default: true },
    help: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
if (values.help) {
  console.log(`npm run bench:peers -- [--rounds 3] [--duration 5] [--warmup 1] [--connections 10] [--no-tailcall]`);
  process.exit(0);
}
const rounds = Number(values.rounds);
const durationSec = Number(values.duration);
const warmupSec = Number(values.warmup);
const connections = Number(values.connections);

const began = performance.now();
const progress = (message: string) =>
  console.log(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)}s] ${message}`);

/** Installs Tailcall if needed; its folder, or the reason it cannot run here. */
function installTailcall(): { dir: string } | { skipped: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { skipped: `Tailcall's npm binary is for linux-x64, this is ${process.platform}-${process.arch}` };
  try {
    const out = execFileSync('sh', [`${PEERS_DIR}/install-tailcall.sh`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    });
    return { dir: out.trim().split('\n').pop()! };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    return { skipped: `bench/peers/install-tailcall.sh failed: ${stderr.split('\n').slice(-3).join(' / ')}` };
  }
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function startTailcall(dir: string, sandbox: SandboxProcess): Promise<Peer> {
  const port = await freePort();
  const cycle = new URL(sandbox.urls.cycle);
  const config = readFileSync(`${PEERS_DIR}/tailcall-cycle.graphql`, 'utf8')
    .replaceAll('http://127.0.0.1:4101', `http://127.0.0.1:${cycle.port}`)
    .replace('port: 8090', `port: ${port}`);
  const configDir = mkdtempSync(`${tmpdir()}/imagegraph-tailcall-`);
  writeFileSync(`${configDir}/cycle.graphql`, config);
  const binary = `${dir}/node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall`;
  const glibc = `${dir}/glibc/usr/lib/x86_64-linux-gnu`;
  const [command, args] = existsSync(`${glibc}/ld-linux-x86-64.so.2`)
    ? [
        `${glibc}/ld-linux-x86-64.so.2`,
        ['--library-path', `${glibc}:/lib/x86_64-linux-gnu`, binary, 'start', `${configDir}/cycle.graphql`],
      ]
    : [binary, ['start', `${configDir}/cycle.graphql`]];
  const child = spawn(command, args, {
    env: { ...process.env, TAILCALL_TRACKER: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Tailcall exited (${child.exitCode}): ${output.slice(-800)}`);
    try {
      const answer = await postGraphQL(url, '{ images(first: 1) { id } }');
      if (answer.data?.images) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`Tailcall did not answer within 30 s: ${output.slice(-800)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: 'tailcall',
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      children.delete(child);
    },
  };
}

async function measure(sandbox: SandboxProcess, peer: Peer, query: QueryName, round: number): Promise<Sample> {
  const document = peer.name === 'tailcall' ? QUERIES[query].tailcall : QUERIES[query].imagegraph;
  const target = graphqlTarget(peer.url, document, undefined);
  if (warmupSec > 0) await runLoad(target, connections, warmupSec);
  await resetLogs(sandbox);
  const { run, cpuUsPerResponse } = await treeCpuPerResponse<LoadRun>(peer.pid, () =>
    runLoad(target, connections, durationSec),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const calls = await countLogs(sandbox);
  return {
    peer: peer.name,
    query,
    round,
    rps: run.rps,
    cpuUsPerResponse,
    callsPerResponse: run.responses > 0 ? calls / run.responses : 0,
    errors: run.non2xx + run.graphqlErrors + run.connectionErrors,
  };
}

/** 50 identical list queries at once with Cycle slowed: the Cycle requests they cost. */
async function concurrentIdentical(sandbox: SandboxProcess, url: string, document: string): Promise<number> {
  await resetLogs(sandbox);
  const fault = { path: '/v1/images', delayMs: SLOW_CYCLE_MS };
  const posted = await fetch(`${sandbox.urls.cycle}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!posted.ok) throw new Error(`the sandbox refused the delay fault: HTTP ${posted.status}`);
  try {
    const answers = await Promise.all(Array.from({ length: CONCURRENT_IDENTICAL }, () => postGraphQL(url, document)));
    const failed = answers.filter((a) => a.status !== 200 || a.errors?.length).length;
    if (failed > 0) throw new Error(`${failed} of ${CONCURRENT_IDENTICAL} answers failed`);
  } finally {
    await fetch(`${sandbox.urls.cycle}/__sandbox/faults`, { method: 'DELETE' }).then((r) => r.arrayBuffer());
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return (await readLogs(sandbox)).filter((r) => r.upstream === 'cycle' && r.path === '/v1/images').length;
}

const fmt = (value: number | null, digits = 0) =>
  value === null
    ? '–'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(samples: Sample[], peers: PeerName[]): string {
  const lines = [
    `| query | gateway | CPU µs/resp (median; each round) | req/s (median) | upstream calls/resp | errors |`,
    `|---|---|--:|--:|--:|--:|`,
  ];
  for (const query of Object.keys(QUERIES) as QueryName[]) {
    for (const peer of peers) {
      const mine = samples.filter((s) => s.query === query && s.peer === peer);
      const cpu = mine.map((s) => s.cpuUsPerResponse).filter((v): v is number => v !== null);
      lines.push(
        `| ${QUERIES[query].title} | ${peer} | ${fmt(cpu.length ? median(cpu) : null)} (${cpu.map((v) => fmt(v)).join(' / ')}) | ` +
          `${fmt(median(mine.map((s) => s.rps)))} | ${fmt(median(mine.map((s) => s.callsPerResponse)), 1)} | ${mine.reduce((a, s) => a + s.errors, 0)} |`,
      );
    }
  }
  if (peers.includes('tailcall')) {
    lines.push('', '| query | ÷ Tailcall | CPU per response (per round) | req/s (per round) |', '|---|---|--:|--:|');
    for (const query of Object.keys(QUERIES) as QueryName[])
      for (const mine of ['imagegraph', 'imagegraph-unshared'] as const) {
        const cpuRatios: number[] = [];
        const rpsRatios: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const of = (peer: PeerName) => samples.find((s) => s.query === query && s.peer === peer && s.round === round);
          const [ig, tc] = [of(mine), of('tailcall')];
          if (ig?.cpuUsPerResponse && tc?.cpuUsPerResponse) cpuRatios.push(ig.cpuUsPerResponse / tc.cpuUsPerResponse);
          if (ig && tc && tc.rps > 0) rpsRatios.push(ig.rps / tc.rps);
        }
        lines.push(
          `| ${QUERIES[query].title} | ${mine} | ${fmt(cpuRatios.length ? median(cpuRatios) : null, 2)} (${cpuRatios.map((r) => fmt(r, 2)).join(' / ')}) | ` +
            `${fmt(rpsRatios.length ? median(rpsRatios) : null, 2)} (${rpsRatios.map((r) => fmt(r, 2)).join(' / ')}) |`,
        );
      }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (distProblem()) {
    progress('building dist/ (npm run build)');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const sandbox = await startSandboxProcess('dist');
  const stops: (() => Promise<void>)[] = [() => sandbox.child.stop()];
  try {
    const gateway = await startGatewayProcess(sandbox, { from: 'dist', upstreamTrace: false });
    stops.push(() => gateway.child.stop());
    // Same load, same queries: with sharing on, the identical queries of the 10 connections share Cycle reads; the
    // unshared process shows what one request costs on its own.
    const unshared = await startGatewayProcess(sandbox, {
      from: 'dist',
      upstreamTrace: false,
      name: 'gateway-unshared',
      env: { UPSTREAM_COALESCE_WAITERS: '0' },
    });
    stops.push(() => unshared.child.stop());
    const peers: Peer[] = [
      { name: 'imagegraph', url: gateway.url, pid: gateway.child.pid, stop: () => gateway.child.stop() },
      {
        name: 'imagegraph-unshared',
        url: unshared.url,
        pid: unshared.child.pid,
        stop: () => unshared.child.stop(),
      },
    ];
    let tailcallNote = 'Tailcall: not measured (--no-tailcall)';
    if (values.tailcall) {
      const installed = installTailcall();
      if ('skipped' in installed) {
        tailcallNote = `Tailcall SKIPPED: ${installed.skipped}`;
      } else {
        try {
          const tailcall = await startTailcall(installed.dir, sandbox);
          stops.push(() => tailcall.stop());
          peers.push(tailcall);
          tailcallNote = `Tailcall ${TAILCALL_VERSION} (bench/peers/tailcall-cycle.graphql)`;
        } catch (error) {
          tailcallNote = `Tailcall SKIPPED: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
    }
    progress(tailcallNote);

    const samples: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? peers : [...peers].reverse();
      for (const query of Object.keys(QUERIES) as QueryName[]) {
        for (const peer of order) {
          const sample = await measure(sandbox, peer, query, round);
          samples.push(sample);
          progress(
            `round ${round + 1}/${rounds} ${QUERIES[query].title}, ${peer.name}: ${fmt(sample.cpuUsPerResponse)} µs CPU/resp, ` +
              `${fmt(sample.rps)} req/s, ${fmt(sample.callsPerResponse, 1)} calls/resp, ${sample.errors} errors`,
          );
        }
      }
    }

    progress(
      `concurrent-identical: ${CONCURRENT_IDENTICAL} identical list queries at once, Cycle slowed to ${SLOW_CYCLE_MS} ms`,
    );
    const identical: { gateway: string; cycleRequests: number }[] = [];
    identical.push({
      gateway: 'imagegraph',
      cycleRequests: await concurrentIdentical(sandbox, gateway.url, QUERIES.list.imagegraph),
    });
    identical.push({
      gateway: 'imagegraph-unshared (UPSTREAM_COALESCE_WAITERS=0)',
      cycleRequests: await concurrentIdentical(sandbox, unshared.url, QUERIES.list.imagegraph),
    });
    const tailcall = peers.find((p) => p.name === 'tailcall');
    if (tailcall)
      identical.push({
        gateway: 'tailcall',
        cycleRequests: await concurrentIdentical(sandbox, tailcall.url, QUERIES.list.tailcall),
      });

    const table = report(
      samples,
      peers.map((p) => p.name),
    );
    const identicalTable = [
      `| gateway | Cycle requests for ${CONCURRENT_IDENTICAL} identical concurrent list queries (Cycle at ${SLOW_CYCLE_MS} ms) |`,
      '|---|--:|',
      ...identical.map((row) => `| ${row.gateway} | ${row.cycleRequests} |`),
    ].join('\n');
    console.log(
      `\n${tailcallNote}; ${rounds} interleaved rounds, ${connections} connections, ${durationSec} s each after ${warmupSec} s warm-up\n\n${table}\n\n${identicalTable}\n`,
    );
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(
      `${ROOT}bench/results/peers-latest.json`,
      JSON.stringify(
        { at: new Date().toISOString(), tailcallNote, rounds, connections, durationSec, samples, identical },
        null,
        2,
      ),
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
