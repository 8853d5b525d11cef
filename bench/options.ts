/** Command-line flags of `npm run bench`, each with an environment fallback (BENCH_DURATION, BENCH_RUNS...). */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Seconds per measured run. */
  durationSec: number;
  /** Measured runs per operation (the median is reported). */
  runs: number;
  connections: number;
  /** Seconds of warm-up before the measured runs. */
  warmupSec: number;
  /** Operation names to measure (`{ __typename }` is always measured: it is the floor). */
  only: string[] | null;
  quick: boolean;
  /** Skip the direct REST loads. */
  direct: boolean;
  /** Profile the gateway (`node --cpu-prof`); the profile lands in bench/results/. */
  cpuProf: boolean;
  /** Regenerate bench/RESULTS.md (default: only on a full run, not on --quick or --only). */
  writeResultsMd: boolean;
  /** Gateway starts measured (the median is reported; the last start is the gateway that gets measured). */
  startups: number;
  /** Run the sandbox and the gateway from the sources through tsx instead of the build in dist/ (built first). */
  tsx: boolean;
  /** Also measure PENDING operations whose documents validate against the gateway's schema. */
  withPending: boolean;
  /** Show the children's output. */
  verbose: boolean;
  /** The gateway's WORKERS (1: one process, as `npm start` by default; more: a cluster). */
  workers: number;
}

export const USAGE = `npm run bench -- [options]
  --duration <s>      seconds per measured run (default 10; env BENCH_DURATION)
  --runs <n>          measured runs per operation, median reported (default 3; env BENCH_RUNS)
  --connections <n>   concurrent connections (default 10; env BENCH_CONNECTIONS)
  --warmup <s>        warm-up seconds before the runs (default 2; env BENCH_WARMUP)
  --only <a,b>        only these operations (plus { __typename }, the floor; env BENCH_ONLY)
  --quick             smoke check: 1 run of 1 s after 0.5 s of warm-up
  --no-direct         skip the direct REST loads
  --startups <n>      gateway starts timed, median reported (default 3; 1 with --quick)
  --tsx               run the sandbox and the gateway from src/ through tsx instead of the build (npm run build, done first)
  --with-pending      also measure PENDING operations whose documents validate against the gateway's schema
  --cpu-prof          profile the gateway (node --cpu-prof) into bench/results/
  --results-md        regenerate bench/RESULTS.md even for a --quick or --only run
  --no-results-md     never regenerate bench/RESULTS.md
  --verbose           show the sandbox's and the gateway's output
  --workers <n>       run the gateway with WORKERS=<n> (a cluster; default 1, one process); results go to
                      bench/RESULTS-workers-<n>.md and bench/results/latest-workers-<n>.json`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    options: {
      duration: { type: 'string' },
      runs: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      startups: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      direct: { type: 'boolean', default: true },
      'cpu-prof': { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      'with-pending': { type: 'boolean', default: false },
      'results-md': { type: 'boolean' },
      verbose: { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick || env.BENCH_QUICK === 'true';
  const number = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min)
      throw new Error(`--${name} must be a number >= ${min}, got "${raw}"\n\n${USAGE}`);
    return value;
  };
  const onlyRaw = values.only ?? env.BENCH_ONLY;
  const only = onlyRaw
    ? onlyRaw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  return {
    durationSec: number('duration', values.duration ?? env.BENCH_DURATION, quick ? 1 : 10, 0.5),
    runs: Math.round(number('runs', values.runs ?? env.BENCH_RUNS, quick ? 1 : 3, 1)),
    connections: Math.round(number('connections', values.connections ?? env.BENCH_CONNECTIONS, 10, 1)),
    warmupSec: number('warmup', values.warmup ?? env.BENCH_WARMUP, quick ? 0.5 : 2, 0),
    only,
    quick,
    direct: values.direct,
    cpuProf: values['cpu-prof'],
    writeResultsMd: values['results-md'] ?? (!quick && only === null),
    startups: Math.round(number('startups', values.startups, quick ? 1 : 3, 1)),
    tsx: values.tsx || env.BENCH_TSX === 'true',
    withPending: values['with-pending'],
    verbose: values.verbose,
    workers: Math.round(number('workers', values.workers ?? env.BENCH_WORKERS, 1, 1)),
  };
}
