/**
 * The results: the table (console and Markdown), bench/results/latest.json and bench/RESULTS.md.
 * Run alone (`npx tsx bench/report.ts [results.json]`), it regenerates bench/RESULTS.md from bench/results/latest.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoggedRequest } from './measure.js';
import type { Comparison, GatewayLoad, LoadSummary } from './series.js';

export interface OperationResult {
  name: string;
  title: string;
  lowerBound: number;
  floor: boolean;
  repeatable: string | null;
  /** Why it was not measured, when it was not (setup failed, wrong answer). */
  failed: string | null;
  /** Upstream requests of one execution, from the sandbox logs. */
  calls: number | null;
  requests: LoggedRequest[];
  /** The same with UPSTREAM_TRACE on: `extensions.upstream.calls`, and the sandbox's count for that execution. */
  traceCalls: number | null;
  traceSandboxCalls: number | null;
  gateway: GatewayLoad | null;
  /** The same REST request straight to the sandbox, run by run alternated with the gateway's. */
  direct: (Comparison & { request: string }) | null;
  /** `{ __typename }` runs alternated with this operation's (`pairWithFloor` in the corpus). */
  pairedFloor: Comparison | null;
  /** Why there is no direct comparison. */
  directNote: string | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  loadAverage: number[];
}

export interface BenchResults {
  date: string;
  command: string;
  /** The commit measured (and whether the working tree differed from it). */
  revision: string;
  /** What the gateway process ran. */
  gatewayCode: string;
  /** The gateway's WORKERS (absent in results from before cluster mode: 1). */
  workers?: number;
  machine: Machine;
  options: { durationSec: number; runs: number; connections: number; warmupSec: number; quick: boolean };
  /** Spawn to first answer: the median of the samples. */
  startupMs: number;
  startupSamplesMs: number[];
  selfReportedReadyMs: number | null;
  idleRssMb: number | null;
  /** The gateway's VmHWM when the run ended: its peak RSS over the whole run. */
  peakRssMb: number | null;
  operations: OperationResult[];
  pending: { name: string; title: string; lowerBound: number; status: string }[];
  notes: string[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const int = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
const ms = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1);
const ratio = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n >= 0.1 ? n.toFixed(2) : n.toFixed(3);

export function errorsOf(load: LoadSummary | null): number {
  return load ? load.non2xx + load.graphqlErrors + load.connectionErrors + load.warmupErrors : 0;
}

function floorRps(results: BenchResults): number | null {
  return results.operations.find((o) => o.floor)?.gateway?.rps ?? null;
}

/** The operation's throughput as a fraction of the floor: paired runs where there are, else the floor's own row. */
function ofFloor(results: BenchResults, op: OperationResult): number | null {
  if (op.floor || !op.gateway) return null;
  if (op.pairedFloor) return op.pairedFloor.ratio;
  const floor = floorRps(results);
  return floor ? op.gateway.rps / floor : null;
}

/**
 * Whether the upstream calls per response under load match one execution's: requests cut off when a run stops still
 * make their calls without counting as responses, up to one per connection.
 */
export function callsUnderLoadAgree(op: OperationResult, connections: number): boolean {
  if (!op.gateway || op.calls === null) return true;
  const responses = Math.min(...op.gateway.runs.map((r) => r.responses));
  const slack = (connections * Math.max(1, op.calls)) / Math.max(1, responses) + 0.01;
  return Math.abs(op.gateway.callsUnderLoad - op.calls) <= slack;
}

/** The larger of the gateway's and the direct load's median share of CPU taken by other processes. */
function foreignCell(...loads: (LoadSummary | null)[]): string {
  const shares = loads.map((l) => l?.foreignCpu).filter((f): f is number => typeof f === 'number');
  return shares.length ? `${Math.round(Math.max(...shares) * 100)}%` : '–';
}

function callsCell(results: BenchResults, op: OperationResult): string {
  if (op.calls === null) return '–';
  const mark = op.calls === op.lowerBound ? '' : op.calls > op.lowerBound ? ' ✗' : ' (below?!)';
  const trace = op.traceCalls !== null && op.traceCalls !== op.calls ? ` (trace says ${op.traceCalls})` : '';
  const underLoad =
    op.gateway && !callsUnderLoadAgree(op, results.options.connections)
      ? ` (${op.gateway.callsUnderLoad.toFixed(2)} under load)`
      : '';
  return `${op.calls} / ${op.lowerBound}${mark}${trace}${underLoad}`;
}

export function table(results: BenchResults): string {
  const header = [
    'operation',
    'upstream calls / bound',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/resp',
    'direct REST req/s',
    'gateway / direct',
    'of floor',
    'errors',
    'RSS after / peak MB',
    'other CPU',
  ];
  const rows = results.operations.map((op) => {
    if (op.failed)
      return [op.title, callsCell(results, op), `not measured: ${op.failed}`, '', '', '', '', '', '', '', '', ''];
    const g = op.gateway;
    const errors = errorsOf(g) + errorsOf(op.direct) + errorsOf(op.pairedFloor);
    return [
      op.title,
      callsCell(results, op),
      int(g?.rps),
      ms(g?.p50Ms),
      ms(g?.p99Ms),
      int(g?.gatewayCpuUsPerResponse),
      op.direct ? int(op.direct.rps) : '–',
      op.direct ? ratio(op.direct.ratio) : '–',
      ratio(ofFloor(results, op)) + (op.pairedFloor ? ' (paired)' : ''),
      errors ? `**${errors}**` : '0',
      g ? `${g.rssAfterMb ?? '–'} / ${g.rssPeakMb ?? '–'}` : '–',
      foreignCell(g, op.direct, op.pairedFloor),
    ];
  });
  // The last columns (RSS, other CPU) hold text, not one figure: left-aligned like the first two.
  const leftAlignedFrom = header.indexOf('RSS after / peak MB');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= 2 && i < leftAlignedFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const separator = `|${widths.map((w, i) => (i >= 2 && i < leftAlignedFrom ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const samples =
    results.startupSamplesMs.length > 1 ? `, median of ${results.startupSamplesMs.map(int).join(' / ')}` : '';
  const process =
    `Process: ${int(results.startupMs)} ms from spawn to first answer${samples} (the last start says ready ${int(results.selfReportedReadyMs)} ms after its imports), ` +
    `idle RSS ${results.idleRssMb ?? '–'} MB, peak RSS over the run ${results.peakRssMb ?? '–'} MB (VmHWM).`;
  return [line(header), separator, ...rows.map(line), '', process].join('\n');
}

/** Where the run stands against issue 7's targets. */
export function targets(results: BenchResults): string[] {
  const find = (name: string) => results.operations.find((o) => o.name === name && !o.failed) ?? null;
  const plain = find('images-plain');
  const withSources = find('images-sources');
  const related = find('images-related');
  const lines: string[] = [];
  const check = (ok: boolean | null, text: string) =>
    lines.push(`- ${ok === null ? '?' : ok ? 'met' : '**not met**'}: ${text}`);
  const measured = results.operations.filter((o) => !o.floor && o.calls !== null);
  const over = measured.filter((o) => o.calls! > o.lowerBound);
  check(
    measured.length ? over.length === 0 : null,
    `upstream calls equal the lower bound on every operation${over.length ? ` (over: ${over.map((o) => `${o.name} ${o.calls}/${o.lowerBound}`).join(', ')})` : ''}`,
  );
  if (plain?.gateway) {
    const fraction = ofFloor(results, plain);
    check(
      fraction === null ? null : fraction >= 0.5,
      `20-image list at least 0.5 of \`{ __typename }\`: ${ratio(fraction)}`,
    );
    const ofDirect = plain.direct ? plain.direct.ratio : null;
    check(
      ofDirect === null ? null : ofDirect >= 0.08,
      `20-image list at least 0.08 of direct REST: ${ratio(ofDirect)} (the anchor: 0.016-0.025)`,
    );
    check(plain.gateway.p50Ms < 3, `20-image list p50 under 3 ms: ${ms(plain.gateway.p50Ms)} ms`);
  }
  if (withSources?.gateway) {
    check(
      withSources.gateway.rps >= 1240 && withSources.calls === 1,
      `20 images with \`source { name }\` (the anchor's query) at least 1,240 req/s (10× the anchor's 124) in one call: ${int(withSources.gateway.rps)} req/s, ${withSources.calls} call(s)`,
    );
  }
  if (related?.gateway) {
    lines.push(
      `- for comparison, with creator and containersCount too (images-related): ${int(related.gateway.rps)} req/s, ${related.calls} call(s)`,
    );
  }
  const peaks = results.operations.map((o) => o.gateway?.rssPeakMb ?? 0);
  const peak = Math.max(results.peakRssMb ?? 0, ...peaks);
  check(peak ? peak < 150 : null, `RSS under load under 150 MB: peak ${peak || '–'} MB`);
  check(results.startupMs < 1000, `start to first answer under 1 s: ${int(results.startupMs)} ms`);
  const busy = results.operations.filter((o) =>
    [o.gateway, o.direct, o.pairedFloor].some((l) => (l?.foreignCpu ?? 0) > 0.2),
  );
  if (busy.length) {
    lines.push(
      `- caution: other processes took more than 20% of the CPU during the runs of ${busy.map((o) => o.name).join(', ')}: rerun on a quieter machine before trusting those figures`,
    );
  }
  return lines;
}

export function resultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  const o = results.options;
  const pending = results.pending.map((p) => `- \`${p.name}\` (${p.title}, lower bound ${p.lowerBound}): ${p.status}`);
  return `# Benchmark results

Generated by \`npm run bench\` (bench/run.ts); do not edit by hand. Rerun to refresh.

- **Command**: \`${results.command}\`
- **Date**: ${results.date}
- **Revision**: ${results.revision}
- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}; load average at the end ${m.loadAverage.join(' / ')}
- **Load**: autocannon, ${o.connections} connections, ${o.durationSec} s per run after ${o.warmupSec} s of warm-up, median of ${o.runs} run(s).
  The runner (load generator), the gateway and the sandbox are three processes sharing these cores: compare the
  ratios measured in the same run, not absolute figures across machines.
- **Gateway**: ${results.gatewayCode}, \`NODE_ENV=production\`, \`UPSTREAM_TRACE=false\`, service credentials, against
  the sandbox in its own process. Upstream calls are counted from the sandbox's request logs and cross-checked with
  \`extensions.upstream.calls\` on a second gateway process with \`UPSTREAM_TRACE=true\`.

${table(results)}

Columns: *upstream calls / bound*: requests the sandbox received for one execution / the fewest the real API allows
(reasons in bench/corpus.ts; ✗ = above the bound). *CPU µs/resp*: the gateway's CPU time (user + system, all its
processes) during a run divided by its responses (median of the runs): it depends much less than req/s on how much of
the shared cores the load generator and the sandbox leave the gateway. *direct REST*: the request the gateway made,
sent straight to the sandbox with the same load; its runs alternate with the gateway's, and *gateway / direct* is the
median of the per-run ratios. *of floor*: throughput as a fraction of \`{ __typename }\` (*paired*: from runs
alternated with \`{ __typename }\` runs, else against the \`{ __typename }\` row). *errors*: non-2xx, GraphQL
\`errors\` and connection errors across warm-up and runs (gateway and direct). RSS is the gateway's (VmRSS). *other
CPU*: share of the machine's CPU that processes other than the benchmark's used during the runs (median; the larger
of gateway and direct): figures with a high share are noisy.

## Against the targets of issue 7

${targets(results).join('\n')}
${pending.length ? `\n## Pending corpus operations\n\n${pending.join('\n')}\n` : ''}${results.notes.length ? `\n## Notes\n\n${results.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
}

/** Writes results/latest.json and RESULTS.md, or `-workers-<n>` variants of both for a cluster run (--workers). */
export function writeResults(results: BenchResults, dir: string, writeMarkdown: boolean): string[] {
  mkdirSync(`${dir}/results`, { recursive: true });
  const suffix = (results.workers ?? 1) > 1 ? `-workers-${results.workers}` : '';
  const written = [`${dir}/results/latest${suffix}.json`];
  writeFileSync(written[0]!, `${JSON.stringify(results, null, 2)}\n`);
  if (writeMarkdown) {
    writeFileSync(`${dir}/RESULTS${suffix}.md`, resultsMarkdown(results));
    written.push(`${dir}/RESULTS${suffix}.md`);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const results = JSON.parse(readFileSync(process.argv[2] ?? `${dir}results/latest.json`, 'utf8')) as BenchResults;
  writeFileSync(`${dir}RESULTS.md`, resultsMarkdown(results));
  console.log(`${table(results)}\n\nWrote bench/RESULTS.md`);
}
