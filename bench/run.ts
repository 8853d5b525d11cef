/**
 * `npm run bench`: the sandbox and the gateway (production mode) in their own processes, then, per corpus operation,
 * its upstream calls against the lower bound, its throughput and latency under a fixed load next to the same REST
 * request sent straight to the sandbox, and the gateway's memory. Flags: `npm run bench -- --help`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { CORPUS, PENDING, type CorpusOperation, type Gql } from './corpus.js';
import { graphqlTarget, postGraphQL } from './load.js';
import { answerProblem, countCalls, directTarget, matchesDocumented } from './measure.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import {
  distProblem,
  memoryOf,
  processTree,
  ROOT,
  startGatewayProcess,
  startSandboxProcess,
  type Child,
  type CodeFrom,
  type GatewayProcess,
  type SandboxProcess,
} from './processes.js';
import {
  callsUnderLoadAgree,
  errorsOf,
  machine,
  table,
  targets,
  writeResults,
  type BenchResults,
  type OperationResult,
} from './report.js';
import { servedSchema, validationProblem } from './schemaCheck.js';
import { mb, median, runSeries, type LoadPlan, type SeriesTargets } from './series.js';

const BENCH_DIR = `${ROOT}bench`;
const began = performance.now();
const progress = (message: string) =>
  console.log(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)}s] ${message}`);

interface Session {
  options: BenchOptions;
  from: CodeFrom;
  sandbox: SandboxProcess;
  gateway: GatewayProcess;
  live: Child[];
  notes: string[];
  guard<T>(promise: Promise<T>): Promise<T>;
  gql(gateway: GatewayProcess): Gql;
}

function emptyResult(op: CorpusOperation): OperationResult {
  return {
    name: op.name,
    title: op.title,
    lowerBound: op.lowerBound,
    floor: op.floor ?? false,
    repeatable: op.repeatable ?? null,
    failed: null,
    calls: null,
    requests: [],
    traceCalls: null,
    traceSandboxCalls: null,
    gateway: null,
    direct: null,
    pairedFloor: null,
    directNote: null,
  };
}

/** Which operations to measure, and where each pending one stands against the schema the gateway serves. */
async function selectOperations(
  s: Session,
  schema: GraphQLSchema,
): Promise<{ selected: CorpusOperation[]; pending: BenchResults['pending'] }> {
  const pending: BenchResults['pending'] = [];
  const validating: CorpusOperation[] = [];
  for (const op of PENDING) {
    const problem = validationProblem(schema, op.document);
    if (!problem) validating.push(op);
    const status = problem
      ? `waiting for its schema (${problem})`
      : 'VALIDATES NOW: move it from PENDING into CORPUS in bench/corpus.ts';
    pending.push({ name: op.name, title: op.title, lowerBound: op.lowerBound, status });
    progress(`pending ${op.name}: ${status}`);
  }
  const only = s.options.only;
  const wanted = (op: CorpusOperation) => op.floor || !only || only.includes(op.name);
  const extra = validating.filter((op) => (only ? only.includes(op.name) : s.options.withPending));
  for (const name of only ?? []) {
    if (PENDING.some((op) => op.name === name) && !validating.some((op) => op.name === name))
      progress(`${name}: pending, its schema is not there yet: skipped`);
  }
  return { selected: [...CORPUS.filter(wanted), ...extra], pending };
}

/** Upstream calls of one execution each, counted by the sandbox; the answer must be the intended one. */
async function countAll(
  s: Session,
  schema: GraphQLSchema,
  ops: CorpusOperation[],
  variablesOf: Map<CorpusOperation, Record<string, unknown> | undefined>,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const op of ops) {
    const result = emptyResult(op);
    results.push(result);
    try {
      const problem = validationProblem(schema, op.document);
      if (problem) throw new Error(`its document does not validate against the gateway's schema: ${problem}`);
      const variables = op.setup ? await op.setup(s.gql(s.gateway)) : undefined;
      variablesOf.set(op, variables);
      const { answer, requests } = await s.guard(countCalls(s.sandbox, s.gateway.url, op, variables));
      result.calls = requests.length;
      result.requests = requests;
      result.failed = answerProblem(op, answer);
      const shown =
        requests
          .slice(0, 3)
          .map((r) => `${r.upstream} ${r.method} ${r.path}`)
          .join(', ') + (requests.length > 3 ? ', …' : '');
      progress(
        `${op.name}: ${requests.length} upstream call(s) (lower bound ${op.lowerBound})${shown ? `: ${shown}` : ''}${result.failed ? `; WRONG ANSWER: ${result.failed}` : ''}`,
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ChildDied') throw error;
      result.failed = error instanceof Error ? error.message : String(error);
      progress(`${op.name}: ${result.failed}`);
    }
  }
  return results;
}

/** The same executions on a second gateway process with UPSTREAM_TRACE on: `extensions.upstream.calls` must agree. */
async function crossCheckTrace(
  s: Session,
  ops: CorpusOperation[],
  results: OperationResult[],
  variablesOf: Map<CorpusOperation, Record<string, unknown> | undefined>,
): Promise<void> {
  const traced = await startGatewayProcess(s.sandbox, {
    from: s.from,
    upstreamTrace: true,
    name: 'gateway (trace)',
    echo: s.options.verbose,
  });
  s.live.push(traced.child);
  try {
    for (const op of ops) {
      const result = results.find((r) => r.name === op.name)!;
      if (result.calls === null) continue;
      const { answer, requests } = await s.guard(countCalls(s.sandbox, traced.url, op, variablesOf.get(op)));
      result.traceCalls = answer.extensions?.upstream?.calls ?? null;
      result.traceSandboxCalls = requests.length;
      const agree = result.traceCalls === result.calls && requests.length === result.calls;
      if (!agree)
        s.notes.push(
          `${op.name}: ${result.calls} call(s) without trace, ${requests.length} with trace on, extensions.upstream.calls = ${result.traceCalls}`,
        );
      progress(
        `${op.name}: trace cross-check ${agree ? 'agrees' : 'DISAGREES'} (extensions.upstream.calls ${result.traceCalls}, sandbox ${requests.length})`,
      );
    }
  } finally {
    s.live.splice(s.live.indexOf(traced.child), 1);
    await traced.child.stop();
  }
}

/**
 * Load on the gateway; for single-call operations, alternated with the same REST request straight to the sandbox,
 * and, where the corpus asks, with `{ __typename }`.
 */
async function loadOne(
  s: Session,
  plan: LoadPlan,
  op: CorpusOperation,
  result: OperationResult,
  variables: Record<string, unknown> | undefined,
): Promise<void> {
  const targets: SeriesTargets = { gateway: graphqlTarget(s.gateway.url, op.document, variables) };
  if (op.pairWithFloor) targets.floor = graphqlTarget(s.gateway.url, '{ __typename }', undefined);
  let described: string | null = null;
  const request = result.requests[0];
  const body = request && request.method !== 'GET' ? op.direct?.body?.(variables ?? {}) : undefined;
  if (result.calls !== 1 || !request) result.directNote = `${result.calls} upstream calls: no single REST equivalent`;
  else if (!s.options.direct) result.directNote = 'skipped (--no-direct)';
  else if (request.method !== 'GET' && body === undefined)
    result.directNote = `${request.method} without a documented body in the corpus`;
  else {
    if (op.direct && !matchesDocumented(request, op.direct.request)) {
      s.notes.push(
        `${op.name}: the gateway sent ${request.method} ${request.path}, the corpus documents ${op.direct.request}`,
      );
    }
    described = `${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`;
    progress(
      `${op.name}: direct REST equivalent: ${described.length > 200 ? `${described.slice(0, 200)}…` : described}`,
    );
    targets.direct = directTarget(s.sandbox, request, body);
  }
  const series = await runSeries(plan, s.sandbox, s.gateway.child.pid, op.name, targets);
  result.gateway = series.gateway;
  result.direct = series.direct && described ? { ...series.direct, request: described } : null;
  result.pairedFloor = series.floor;
}

function collectNotes(s: Session, results: OperationResult[]): void {
  for (const r of results) {
    for (const [what, load] of [
      ['gateway', r.gateway],
      ['direct', r.direct],
      ['{ __typename }', r.pairedFloor],
    ] as const) {
      if (load && errorsOf(load) > 0) {
        s.notes.push(
          `${r.name} (${what}): ${load.non2xx} non-2xx, ${load.graphqlErrors} with GraphQL errors, ${load.connectionErrors} connection errors in the runs, ` +
            `${load.warmupErrors} errors in the warm-up; first: ${load.sampleError}`,
        );
      }
    }
    if (r.failed) s.notes.push(`${r.name}: not measured: ${r.failed}`);
    if (!callsUnderLoadAgree(r, s.options.connections)) {
      s.notes.push(
        `${r.name}: ${r.gateway!.callsUnderLoad.toFixed(2)} upstream calls per response under load, ${r.calls} for one execution alone`,
      );
    }
    if (r.repeatable && r.gateway) s.notes.push(`${r.name} runs under load: ${r.repeatable}`);
  }
  if (s.options.cpuProf)
    s.notes.push('the gateway ran with --cpu-prof (slower than unprofiled); its profile is in bench/results/');
}

/** The commit measured, and whether src/, schema/ or the dependencies differ from it (read-only git commands). */
function revision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['--no-optional-locks', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', 'src', 'schema', 'package.json', 'package-lock.json')
      .split('\n')
      .filter(Boolean).length;
    return changed ? `${head} with ${changed} uncommitted change(s) in src/, schema/ or the dependencies` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const known = [...CORPUS, ...PENDING].map((op) => op.name);
  const unknown = (options.only ?? []).filter((name) => !known.includes(name));
  if (unknown.length) {
    console.error(`unknown operation(s): ${unknown.join(', ')}; the corpus has ${known.join(', ')}\n\n${USAGE}`);
    process.exit(2);
  }
  // Production mode is the build `npm start` runs; `--tsx` measures the sources through tsx instead.
  const from: CodeFrom = options.tsx ? 'tsx' : 'dist';
  if (from === 'dist') {
    progress('npm run build');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    const problem = distProblem();
    if (problem) {
      console.error(`build: ${problem}`);
      process.exit(2);
    }
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  progress(
    `${command}: ${options.connections} connections, ${options.runs} × ${options.durationSec} s after ${options.warmupSec} s warm-up`,
  );

  const live: Child[] = [];
  try {
    const sandbox = await startSandboxProcess(from, options.verbose);
    live.push(sandbox.child);
    progress(`sandbox up (pid ${sandbox.child.pid}): ${Object.values(sandbox.urls).join(' ')}`);
    const nodeFlags: string[] = [];
    if (options.cpuProf) {
      mkdirSync(`${BENCH_DIR}/results`, { recursive: true });
      nodeFlags.push('--cpu-prof', '--cpu-prof-dir', `${BENCH_DIR}/results`);
    }
    const startups: number[] = [];
    for (let i = 1; i < options.startups; i += 1) {
      const probe = await startGatewayProcess(sandbox, {
        from,
        upstreamTrace: false,
        workers: options.workers,
        name: 'gateway (start-up probe)',
        echo: options.verbose,
      });
      startups.push(probe.startupMs);
      progress(
        `gateway start ${i}/${options.startups}: first answer ${Math.round(probe.startupMs)} ms after spawn (it says ready after ${probe.selfReportedReadyMs ?? '?'} ms)`,
      );
      await probe.child.stop();
    }
    const gateway = await startGatewayProcess(sandbox, {
      from,
      upstreamTrace: false,
      workers: options.workers,
      nodeFlags,
      echo: options.verbose,
    });
    live.push(gateway.child);
    startups.push(gateway.startupMs);
    progress(
      `gateway up (pid ${gateway.child.pid}, ${from}), start ${options.startups}/${options.startups}: first answer ${Math.round(gateway.startupMs)} ms after spawn ` +
        `(it says ready after ${gateway.selfReportedReadyMs ?? '?'} ms)`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const idleRssMb = mb(memoryOf(gateway.child.pid)?.rss);
    progress(`gateway idle RSS: ${idleRssMb ?? 'unknown (no /proc)'} MB`);

    const guard = <T>(promise: Promise<T>) => Promise.race([promise, ...live.map((c) => c.died)]);
    const s: Session = {
      options,
      from,
      sandbox,
      gateway,
      live,
      notes: [],
      guard,
      gql: (g) => (doc, vars) => guard(postGraphQL(g.url, doc, vars)),
    };

    const schema = await servedSchema(s.gql(gateway));
    const { selected, pending } = await selectOperations(s, schema);
    progress(`measuring ${selected.map((op) => op.name).join(', ')}`);
    const variablesOf = new Map<CorpusOperation, Record<string, unknown> | undefined>();
    const results = await countAll(s, schema, selected, variablesOf);
    await crossCheckTrace(s, selected, results, variablesOf);

    const plan: LoadPlan = {
      connections: options.connections,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      runs: options.runs,
      pids: [process.pid, sandbox.child.pid, ...processTree(gateway.child.pid)],
      gatewayPid: gateway.child.pid,
      progress,
      guard,
    };
    for (const [i, op] of selected.entries()) {
      if (!results[i]!.failed) await loadOne(s, plan, op, results[i]!, variablesOf.get(op));
    }
    collectNotes(s, results);

    const bench: BenchResults = {
      date: new Date().toISOString(),
      command,
      revision: revision(),
      gatewayCode:
        (from === 'dist' ? 'dist/src/main.js (npm run build, as npm start)' : 'src/main.ts through tsx (npm run dev)') +
        (options.workers > 1
          ? `, \`WORKERS=${options.workers}\` (a primary and ${options.workers} workers; RSS summed over them)`
          : ', one process (`WORKERS=1`, the default)'),
      workers: options.workers,
      machine: machine(),
      options: {
        durationSec: options.durationSec,
        runs: options.runs,
        connections: options.connections,
        warmupSec: options.warmupSec,
        quick: options.quick,
      },
      startupMs: Math.round(median(startups)),
      startupSamplesMs: startups.map(Math.round),
      selfReportedReadyMs: gateway.selfReportedReadyMs,
      idleRssMb,
      peakRssMb: mb(memoryOf(gateway.child.pid)?.hwm),
      operations: results,
      pending,
      notes: s.notes,
    };
    await gateway.child.stop(options.cpuProf ? 30_000 : 5_000);

    console.log(`\n${table(bench)}\n\nAgainst the targets of issue 7:\n${targets(bench).join('\n')}`);
    if (bench.notes.length) console.log(`\nNotes:\n${bench.notes.map((n) => `- ${n}`).join('\n')}`);
    const written = writeResults(bench, BENCH_DIR, options.writeResultsMd);
    console.log(
      `\nWrote ${written.map((f) => f.slice(ROOT.length)).join(' and ')}${options.writeResultsMd ? '' : ' (bench/RESULTS.md only on a full run, or with --results-md)'}`,
    );
  } finally {
    await Promise.all(live.map((child) => child.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.name !== 'ChildDied' && error.stack)
    console.error(error.stack.split('\n').slice(1, 6).join('\n'));
  process.exit(1);
});
