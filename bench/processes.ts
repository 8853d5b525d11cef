/**
 * Child processes of the benchmark: the sandbox and the gateway, each in its own Node process, on free loopback ports.
 * Every child is killed when the runner exits, fails or is interrupted, and a child that dies early fails the run with
 * its last lines of output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEMO_TENANT } from '../src/sandbox/shared/credentials.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * Preloaded (`--import`) into every child: if the runner disappears without cleaning up (killed with SIGKILL, say),
 * the child sees its parent change and exits, so no emulator or gateway is left holding a port. It exits through
 * `process.exit`, so a `--cpu-prof` profile is still written.
 */
const ORPHAN_GUARD =
  'data:text/javascript,const parent=process.ppid;setInterval(()=>{if(process.ppid!==parent)process.exit(1)},500).unref();';

export type UpstreamName = 'cycle' | 'cf' | 'dockercloud';
export const UPSTREAMS: readonly UpstreamName[] = ['cycle', 'cf', 'dockercloud'];

export class ChildDied extends Error {
  override name = 'ChildDied';
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Spawn time (performance.now() of the runner). */
  readonly spawnedAt: number;
  /** Last lines of stdout and stderr, for error messages. */
  tail(): string;
  /** Rejects with ChildDied if the child exits before `stop()` was called. */
  readonly died: Promise<never>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the sandbox and the gateway\n`);
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export interface SpawnOptions {
  name: string;
  /** Script relative to the repository root: TypeScript runs through tsx, JavaScript (dist/) as it is. */
  script: string;
  env: Record<string, string>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Print the child's output as it comes (debugging). */
  echo?: boolean;
}

export function spawnNode(options: SpawnOptions): Child {
  installCleanup();
  const spawnedAt = performance.now();
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), ...loader, '--import', ORPHAN_GUARD, options.script],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C reaches the runner only, which then stops the children itself.
      detached: true,
    },
  );
  if (child.pid === undefined) throw new Error(`bench: could not start ${options.name}`);
  live.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    const fresh = chunk
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    if (options.echo) for (const line of fresh) process.stderr.write(`  [${options.name}] ${line}\n`);
    lines.push(...fresh);
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => lines.map((l) => `    | ${l}`).join('\n');
  const died = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (!stopping)
        reject(
          new ChildDied(
            `${options.name} (pid ${child.pid}) died unexpectedly (${signal ?? `exit code ${code}`}). Its last output:\n${tail()}`,
          ),
        );
    });
  });
  died.catch(() => {});
  return {
    name: options.name,
    pid: child.pid,
    spawnedAt,
    tail,
    died,
    async stop(graceMs = 5_000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resident set size and its high-water mark, in bytes, from /proc (Linux), summed over the process and its
 * descendants (a cluster primary and its workers: WORKERS > 1); null elsewhere or once the process is gone. With
 * several processes the high-water mark is the sum of each one's peak, an upper bound of their peak together.
 */
export function memoryOf(pid: number): { rss: number; hwm: number } | null {
  const each = processTree(pid).map(ownMemoryOf);
  if (each[0] === null) return null;
  return each.reduce<{ rss: number; hwm: number }>(
    (sum, m) => (m ? { rss: sum.rss + m.rss, hwm: sum.hwm + m.hwm } : sum),
    { rss: 0, hwm: 0 },
  );
}

function ownMemoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    return Number.isFinite(rss) ? { rss, hwm: kb('VmHWM') } : null;
  } catch {
    return null;
  }
}

/** The process and its descendants, from /proc/<pid>/task/<tid>/children (Linux); just [pid] where that is unreadable. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    const parent = tree[i]!;
    try {
      for (const tid of readdirSync(`/proc/${parent}/task`)) {
        const children = readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // Gone, or no /proc: what was found so far.
    }
  }
  return tree;
}

/** Samples a process's RSS every `intervalMs` until stopped; `stop()` returns the peak seen. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): number | null } {
  let peak: number | null = null;
  const take = () => {
    const rss = memoryOf(pid)?.rss;
    if (rss !== undefined && (peak === null || rss > peak)) peak = rss;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** Polls `probe` every `intervalMs` until it resolves true; fails if the child dies or `timeoutMs` passes. */
export async function waitUntil(
  child: Child,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await Promise.race([probe().catch(() => false), child.died]);
    if (ok) return;
    if (performance.now() > deadline)
      throw new Error(
        `${child.name} did not become ready (${what}) within ${timeoutMs} ms. Its last output:\n${child.tail()}`,
      );
    await Promise.race([new Promise((r) => setTimeout(r, intervalMs)), child.died]);
  }
}

export interface SandboxProcess {
  child: Child;
  urls: Record<UpstreamName, string>;
}

/** Where the processes' code comes from: the TypeScript sources through tsx (as `npm start`), or the build in dist/. */
export type CodeFrom = 'tsx' | 'dist';

const SCRIPTS: Record<CodeFrom, { sandbox: string; gateway: string }> = {
  tsx: { sandbox: 'src/sandbox/main.ts', gateway: 'src/main.ts' },
  dist: { sandbox: 'dist/src/sandbox/main.js', gateway: 'dist/src/main.js' },
};

/** For `dist`: a problem with the build (missing, or older than the sources), or null. */
export function distProblem(): string | null {
  let built: number;
  try {
    built = statSync(`${ROOT}${SCRIPTS.dist.gateway}`).mtimeMs;
  } catch {
    return `no ${SCRIPTS.dist.gateway}: run \`npm run build\` first`;
  }
  const newest = readdirSync(`${ROOT}src`, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((max, e) => Math.max(max, statSync(`${e.parentPath}/${e.name}`).mtimeMs), 0);
  return newest > built ? 'dist/ is older than src/: run `npm run build` again' : null;
}

/** The sandbox in its own process, on free ports; ready when every emulator answers its request log. */
export async function startSandboxProcess(from: CodeFrom, echo = false): Promise<SandboxProcess> {
  const [cycle, cf, dockercloud] = [await freePort(), await freePort(), await freePort()];
  const urls = {
    cycle: `http://127.0.0.1:${cycle}`,
    cf: `http://127.0.0.1:${cf}`,
    dockercloud: `http://127.0.0.1:${dockercloud}`,
  };
  const child = spawnNode({
    name: 'sandbox',
    script: SCRIPTS[from].sandbox,
    env: {
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_CYCLE_PORT: String(cycle),
      SANDBOX_CF_PORT: String(cf),
      SANDBOX_DOCKERCLOUD_PORT: String(dockercloud),
      // The emulators' own default, as the benchmarks have always run (`npm run sandbox` defaults to the demo's).
      SANDBOX_JOB_DURATION_MS: '1000',
    },
    echo,
  });
  await waitUntil(child, 'request logs answering', async () => {
    const answers = await Promise.all(UPSTREAMS.map((u) => fetch(`${urls[u]}/__sandbox/requests`).then((r) => r.ok)));
    return answers.every(Boolean);
  });
  return { child, urls };
}

export interface GatewayProcess {
  child: Child;
  url: string;
  /** Spawn to first successful GraphQL answer. */
  startupMs: number;
  /** What the gateway itself printed (`imagegraph ready in N ms`), if it did. */
  selfReportedReadyMs: number | null;
}

export interface GatewayOptions {
  from: CodeFrom;
  upstreamTrace: boolean;
  /** WORKERS: 1 runs the gateway in one process (the default of `npm start`); more runs a cluster. */
  workers?: number;
  nodeFlags?: string[];
  echo?: boolean;
  name?: string;
  /** The gateway's entry script, relative to the repository root, instead of `from`'s (another build: bench/ab.ts). */
  script?: string;
  /** More environment (a setting under comparison, e.g. `UPSTREAM_COALESCE_WAITERS=0`). */
  env?: Record<string, string>;
}

/**
 * Node flags of `npm start` (package.json): V8's old generation capped so the heap does not grow lazily to hundreds of
 * MB, and its young generation's semi-spaces kept at 8 MB instead of 16 (measured: the same CPU per request, ~17 MB
 * less peak RSS; 4 MB doubles the CPU per request).
 */
export const PRODUCTION_NODE_FLAGS = ['--max-old-space-size=192', '--max-semi-space-size=8'];

/** `src/main.ts` in production mode against the sandbox, with the demo tenant's service credentials. */
export async function startGatewayProcess(sandbox: SandboxProcess, options: GatewayOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const child = spawnNode({
    name: options.name ?? 'gateway',
    script: options.script ?? SCRIPTS[options.from].gateway,
    nodeFlags: [...PRODUCTION_NODE_FLAGS, ...(options.nodeFlags ?? [])],
    echo: options.echo ?? false,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      CYCLE_API_URL: sandbox.urls.cycle,
      CF_API_URL: sandbox.urls.cf,
      DOCKER_CLOUD_API_URL: sandbox.urls.dockercloud,
      CYCLE_API_KEY: DEMO_TENANT.cycle.apiKey,
      CYCLE_HUB_ID: DEMO_TENANT.cycle.hubId,
      CF_TOKEN: DEMO_TENANT.cf.token,
      DOCKER_CLOUD_USERNAME: DEMO_TENANT.dockercloud.username,
      DOCKER_CLOUD_API_KEY: DEMO_TENANT.dockercloud.apiKey,
      UPSTREAM_TRACE: String(options.upstreamTrace),
      WORKERS: String(options.workers ?? 1),
      ...options.env,
    },
  });
  const body = JSON.stringify({ query: '{ __typename }' });
  await waitUntil(child, 'answering { __typename }', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await res.json()) as { data?: { __typename?: string } };
    return res.ok && json.data?.__typename === 'Query';
  });
  const startupMs = performance.now() - child.spawnedAt;
  // A cluster answers once its first worker listens; the load starts once its primary says they all do.
  if ((options.workers ?? 1) > 1)
    await waitUntil(child, 'every worker listening', async () =>
      /imagegraph ready in \d+ ms: \d+ workers/.test(child.tail()),
    );
  const reported = /imagegraph ready in (\d+) ms/.exec(child.tail());
  return { child, url, startupMs, selfReportedReadyMs: reported ? Number(reported[1]) : null };
}

/** The headers a client sends to each emulator with the demo tenant's credentials. */
export function directHeaders(upstream: UpstreamName): Record<string, string> {
  switch (upstream) {
    case 'cycle':
      return {
        authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`,
        'x-hub-id': DEMO_TENANT.cycle.hubId,
        accept: 'application/json',
      };
    case 'cf':
      return { authorization: `bearer ${DEMO_TENANT.cf.token}`, accept: 'application/json' };
    case 'dockercloud': {
      const basic = Buffer.from(`${DEMO_TENANT.dockercloud.username}:${DEMO_TENANT.dockercloud.apiKey}`).toString(
        'base64',
      );
      return { authorization: `Basic ${basic}`, accept: 'application/json' };
    }
  }
}
