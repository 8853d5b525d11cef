/**
 * The load series of one operation: a warm-up of each target, then runs that alternate gateway, direct REST and
 * (where asked) `{ __typename }`, so each ratio compares runs made seconds apart under the same background load.
 * Ratios are medians of the per-run ratios. The gateway's RSS is sampled during its runs, and the sandbox counts the
 * upstream calls the gateway made per response.
 */
import { cpuSnapshot, foreignShare, treeCpuPerResponse } from './cpu.js';
import { runLoad, type LoadRun, type LoadTarget } from './load.js';
import { countLogs, resetLogs, type Sandbox } from './measure.js';
import { memoryOf, sampleRss } from './processes.js';

export type MeasuredRun = LoadRun & {
  /** Share of the machine's CPU that other processes used during the run (null: unknown). */
  foreignCpu: number | null;
  /**
   * The gateway's CPU time (all its processes) during the run per response, in µs. Null for direct REST runs, without
   * /proc, when a gateway process could not be read, or without responses.
   */
  gatewayCpuUsPerResponse: number | null;
};

export interface LoadSummary {
  /** Medians over the runs. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Summed over the runs; the warm-up's errors separately. */
  non2xx: number;
  graphqlErrors: number;
  connectionErrors: number;
  warmupErrors: number;
  sampleError: string | null;
  /** Median share of the machine's CPU other processes used during the runs. */
  foreignCpu: number | null;
  /** Median of the runs' gateway CPU time per response, in µs (null when no run has one, e.g. direct REST). */
  gatewayCpuUsPerResponse: number | null;
  runs: MeasuredRun[];
}

export interface GatewayLoad extends LoadSummary {
  /** Upstream requests per gateway response during the runs (median). */
  callsUnderLoad: number;
  rssAfterMb: number | null;
  rssPeakMb: number | null;
}

/** A load compared with the gateway's, run by run. */
export interface Comparison extends LoadSummary {
  /** Median of the per-run ratios gateway rps / this rps. */
  ratio: number;
}

export interface LoadPlan {
  connections: number;
  durationSec: number;
  warmupSec: number;
  runs: number;
  /** The runner's, the sandbox's and the gateway's pids: CPU they use is not "foreign". */
  pids: number[];
  /** The gateway's process (a cluster's primary): its tree is read at each run, so replaced workers count. */
  gatewayPid: number;
  progress(message: string): void;
  /** Rejects when a child dies, so a load never waits on a dead process. */
  guard<T>(promise: Promise<T>): Promise<T>;
}

export const mb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? null : Math.round((bytes / 1048576) * 10) / 10;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Lets the requests autocannon abandoned when a run stopped finish at the gateway, so their upstream calls land before
 * the logs are reset or counted (up to one request per connection may still count towards the next run).
 */
const settle = () => new Promise((r) => setTimeout(r, 250));

function summarize(runs: MeasuredRun[], warmup: LoadRun | null): LoadSummary {
  const foreign = runs.map((r) => r.foreignCpu).filter((f): f is number => f !== null);
  const gatewayCpu = runs.map((r) => r.gatewayCpuUsPerResponse).filter((c): c is number => c !== null);
  const sum = (f: (r: LoadRun) => number) => runs.reduce((a, r) => a + f(r), 0);
  return {
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    non2xx: sum((r) => r.non2xx),
    graphqlErrors: sum((r) => r.graphqlErrors),
    connectionErrors: sum((r) => r.connectionErrors),
    warmupErrors: warmup ? warmup.non2xx + warmup.graphqlErrors + warmup.connectionErrors : 0,
    sampleError: runs.find((r) => r.sampleError)?.sampleError ?? warmup?.sampleError ?? null,
    foreignCpu: foreign.length ? median(foreign) : null,
    gatewayCpuUsPerResponse: gatewayCpu.length ? median(gatewayCpu) : null,
    runs,
  };
}

const describeRun = (r: LoadRun & { foreignCpu?: number | null }) => {
  const errors = r.non2xx + r.graphqlErrors + r.connectionErrors;
  const foreign = r.foreignCpu ? `, other processes ${Math.round(r.foreignCpu * 100)}% CPU` : '';
  return `${Math.round(r.rps)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${errors ? `, ${errors} ERRORS (${r.sampleError})` : ''}${foreign}`;
};

/** One load run; for runs on the gateway, also its CPU time per response. */
async function measuredRun(plan: LoadPlan, target: LoadTarget, onGateway: boolean): Promise<MeasuredRun> {
  const load = () => plan.guard(runLoad(target, plan.connections, plan.durationSec));
  const before = cpuSnapshot(plan.pids);
  const { run, cpuUsPerResponse } = onGateway
    ? await treeCpuPerResponse(plan.gatewayPid, load)
    : { run: await load(), cpuUsPerResponse: null };
  return {
    ...run,
    foreignCpu: foreignShare(before, cpuSnapshot(plan.pids)),
    gatewayCpuUsPerResponse: cpuUsPerResponse,
  };
}

export interface SeriesTargets {
  gateway: LoadTarget;
  /** The same REST request straight to the sandbox. */
  direct?: LoadTarget;
  /** `{ __typename }` on the gateway. */
  floor?: LoadTarget;
}

export interface SeriesResult {
  gateway: GatewayLoad;
  direct: Comparison | null;
  floor: Comparison | null;
}

export async function runSeries(
  plan: LoadPlan,
  sandbox: Sandbox,
  gatewayPid: number,
  label: string,
  targets: SeriesTargets,
): Promise<SeriesResult> {
  const kinds = (['gateway', 'direct', 'floor'] as const).filter((k) => targets[k]);
  const warmups = new Map<string, LoadRun>();
  if (plan.warmupSec > 0) {
    for (const kind of kinds) {
      const warmup = await plan.guard(runLoad(targets[kind]!, plan.connections, plan.warmupSec));
      warmups.set(kind, warmup);
      plan.progress(
        `${label}${kind === 'gateway' ? '' : ` ${kind}`}: warm-up ${plan.warmupSec} s: ${describeRun(warmup)}`,
      );
    }
  }
  const runs = new Map<string, MeasuredRun[]>(kinds.map((k) => [k, []]));
  const callsPerResponse: number[] = [];
  let peak: number | null = null;
  for (let i = 1; i <= plan.runs; i += 1) {
    for (const kind of kinds) {
      await settle();
      await resetLogs(sandbox); // also keeps the emulators' request logs (and memory) small
      const onGateway = kind !== 'direct';
      const sampler = onGateway ? sampleRss(gatewayPid) : null;
      const run = await measuredRun(plan, targets[kind]!, onGateway);
      const runPeak = sampler?.stop() ?? null;
      if (runPeak !== null && (peak === null || runPeak > peak)) peak = runPeak;
      runs.get(kind)!.push(run);
      let extra = '';
      if (kind === 'gateway') {
        await settle();
        const calls = await countLogs(sandbox);
        callsPerResponse.push(run.responses ? calls / run.responses : 0);
        extra = `, ${(calls / Math.max(1, run.responses)).toFixed(2)} upstream calls/response, peak RSS ${mb(runPeak)} MB`;
      }
      plan.progress(
        `${label}${kind === 'gateway' ? '' : ` ${kind}`}: run ${i}/${plan.runs}: ${describeRun(run)}${extra}`,
      );
    }
  }
  await resetLogs(sandbox);
  const gatewayRuns = runs.get('gateway')!;
  const compare = (kind: 'direct' | 'floor'): Comparison | null => {
    const theirs = runs.get(kind);
    if (!theirs) return null;
    return {
      ...summarize(theirs, warmups.get(kind) ?? null),
      ratio: median(theirs.map((r, i) => gatewayRuns[i]!.rps / r.rps)),
    };
  };
  return {
    gateway: {
      ...summarize(gatewayRuns, warmups.get('gateway') ?? null),
      callsUnderLoad: median(callsPerResponse),
      rssAfterMb: mb(memoryOf(gatewayPid)?.rss),
      rssPeakMb: mb(peak),
    },
    direct: compare('direct'),
    floor: compare('floor'),
  };
}
