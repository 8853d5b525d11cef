/**
 * Two builds of the gateway compared on one corpus operation: `npm run bench:ab -- <build A> <build B> [options]`.
 *
 * Each build is a copy of `dist/` inside the package (`cp -r dist dist-a` before a change; `npm run build &&
 * cp -r dist dist-b` after), so it finds `schema/` and `node_modules` as `dist/` does. Against one sandbox, each round
 * starts each build in turn (which goes first alternates), warms it up, loads it, and reads its CPU time from /proc.
 * The gateway's CPU time per response depends much less than req/s on what the load generator and the sandbox leave
 * it of the shared cores, so builds are compared on it, round by round: B/A below 1 means B does the same work with
 * less CPU.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusOperation, type CorpusOperation } from './corpus.js';
import { treeCpuPerResponse } from './cpu.js';
import { graphqlTarget, postGraphQL, runLoad, type LoadRun } from './load.js';
import { distProblem, ROOT, startGatewayProcess, startSandboxProcess, type SandboxProcess } from './processes.js';
import { median } from './series.js';

const USAGE = `npm run bench:ab -- <build A> <build B> [options]   (builds: copies of dist/ inside the package)
  --only <name>       the corpus operation (default images-plain; see bench/corpus.ts)
  --rounds <n>        rounds, each loading A and B once (default 3)
  --duration <s>      seconds per measured load (default 10)
  --warmup <s>        seconds of warm-up before each (default 2)
  --connections <n>   concurrent connections (default 10)`;

interface Measured {
  cpuUsPerResponse: number;
  run: LoadRun;
}

async function measure(
  sandbox: SandboxProcess,
  build: string,
  operation: CorpusOperation,
  options: { durationSec: number; warmupSec: number; connections: number },
): Promise<Measured> {
  const gateway = await startGatewayProcess(sandbox, {
    from: 'dist',
    upstreamTrace: false,
    script: `${build}/src/main.js`,
    name: `gateway (${build})`,
  });
  try {
    const gql = (document: string, variables?: Record<string, unknown>) =>
      postGraphQL(gateway.url, document, variables);
    const variables = operation.setup ? await operation.setup(gql) : undefined;
    const answer = await gql(operation.document, variables);
    const wrong = answer.errors?.length
      ? JSON.stringify(answer.errors).slice(0, 300)
      : (operation.check?.(answer.data ?? {}) ?? null);
    if (wrong) throw new Error(`${build} does not answer ${operation.name} as intended: ${wrong}`);
    const target = graphqlTarget(gateway.url, operation.document, variables);
    await runLoad(target, options.connections, options.warmupSec);
    const { run, cpuUsPerResponse } = await treeCpuPerResponse(gateway.child.pid, () =>
      runLoad(target, options.connections, options.durationSec),
    );
    const failures = run.non2xx + run.graphqlErrors + run.connectionErrors;
    if (failures > 0)
      throw new Error(`${build}: ${failures} failed responses under load (${run.sampleError ?? 'no sample'})`);
    if (cpuUsPerResponse === null)
      throw new Error('cannot read the gateway’s CPU time from /proc (Linux only), or it did not answer');
    return { cpuUsPerResponse, run };
  } finally {
    await gateway.child.stop();
  }
}

const summary = (m: Measured) =>
  `${Math.round(m.cpuUsPerResponse)} µs/resp, ${Math.round(m.run.rps)} req/s, p50 ${m.run.p50Ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      only: { type: 'string', default: 'images-plain' },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const builds = positionals.map((build) => relative(ROOT, resolve(ROOT, build)));
  for (const build of builds) {
    if (build.startsWith('..') || isAbsolute(build))
      throw new Error(`${build}: builds must be inside the package (${ROOT}), to find schema/ and node_modules`);
    if (!existsSync(resolve(ROOT, build, 'src/main.js')))
      throw new Error(`${build}/src/main.js not found: copy a build there first`);
  }
  const operation = corpusOperation(values.only);
  // The sandbox runs from dist/, like npm run bench's.
  const problem = distProblem();
  if (problem) throw new Error(problem);
  const options = {
    durationSec: Number(values.duration),
    warmupSec: Number(values.warmup),
    connections: Number(values.connections),
  };
  const rounds = Number(values.rounds);
  console.log(
    `${operation.name}: A = ${builds[0]}, B = ${builds[1]}; ${rounds} rounds, ${options.connections} connections, ${options.durationSec} s after ${options.warmupSec} s of warm-up`,
  );
  const sandbox = await startSandboxProcess('dist');
  const results: Measured[][] = [[], []];
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) results[which]!.push(await measure(sandbox, builds[which]!, operation, options));
      const [a, b] = [results[0]![round]!, results[1]![round]!];
      console.log(
        `round ${round + 1}: A ${summary(a)} | B ${summary(b)} | B/A ${(b.cpuUsPerResponse / a.cpuUsPerResponse).toFixed(3)}`,
      );
    }
  } finally {
    await sandbox.child.stop();
  }
  const ratios = results[1]!.map((b, i) => b.cpuUsPerResponse / results[0]![i]!.cpuUsPerResponse);
  const cpu = (which: number) => results[which]!.map((m) => Math.round(m.cpuUsPerResponse));
  console.log(
    `A: ${Math.min(...cpu(0))}-${Math.max(...cpu(0))} µs/resp; B: ${Math.min(...cpu(1))}-${Math.max(...cpu(1))} µs/resp`,
  );
  console.log(
    `B/A CPU per response, median of the rounds: ${median(ratios).toFixed(3)} (rounds: ${ratios.map((r) => r.toFixed(3)).join(', ')})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
