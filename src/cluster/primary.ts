/**
 * Cluster mode (WORKERS > 1): this process becomes a primary that forks the workers (node:cluster), which share the
 * listening port and each run a whole gateway (main.ts). The primary serves no request itself. It:
 * - restarts a worker that dies, unless workers keep dying (then it stops: a crash loop is not service);
 * - answers a worker's request for the cluster-wide metrics with every worker's registry aggregated
 *   (prom-client's AggregatorRegistry), so a scrape means the same whichever worker it reaches;
 * - on SIGINT/SIGTERM asks every worker to finish its in-flight requests and exit, then runs `onStopped` and exits.
 * A worker holds its own caches and circuit breakers: per-caller persisted queries are shared only through Redis.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { httpUrl } from '../http/url.js';
import { isClusterMessage, type MetricsResponse, type ShutdownRequest } from './messages.js';

export interface PrimaryOptions {
  workers: number;
  /** Extra environment of every worker (on top of this process's). */
  workerEnv: Record<string, string>;
  shutdownGraceMs: number;
  /** Printed once every worker listens, given the gateway's base URL. */
  banner: (url: string) => string;
  /** After the last worker exited at shutdown (the sandbox closes here). */
  onStopped?: () => Promise<void>;
}

/** Restarts allowed within CRASH_WINDOW_MS before the primary gives up. */
const MAX_RESTARTS = 5;
const CRASH_WINDOW_MS = 60_000;
/**
 * A replacement is forked after this pause, if the primary is not stopping by then: a signal sent to the whole process
 * group (Ctrl-C) can reach a worker, and end it, before the primary's own handler has run.
 */
const RESTART_DELAY_MS = 250;
/** How long `onStopped` may take before the primary exits anyway. */
const ON_STOPPED_TIMEOUT_MS = 5_000;

export function runPrimary(options: PrimaryOptions): void {
  const started = performance.now();
  const aggregator = new AggregatorRegistry();
  const restarts: number[] = [];
  let announced = false;
  let stopping = false;

  const fork = () => cluster.fork(options.workerEnv);
  // A worker that has exited may still be listed until its IPC channel closes (node:cluster removes it at whichever of
  // 'exit' and 'disconnect' comes last): it is not live.
  const live = () =>
    Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
  const askToShutDown = (worker: Worker) => {
    if (worker.isConnected()) worker.send({ type: 'imagegraph:shutdown' } satisfies ShutdownRequest);
  };

  // A worker's first listener is the gateway's (METRICS_PORT, when set, is listened on after it).
  const gatewayAddress = new Map<number, string>();
  cluster.on('listening', (worker, address) => {
    if (!gatewayAddress.has(worker.id))
      gatewayAddress.set(worker.id, httpUrl(address.address ?? '127.0.0.1', address.port));
    // A worker that was still starting when the primary began to stop may have missed the request.
    if (stopping) return askToShutDown(worker);
    if (announced) return;
    const listening = live().filter((w) => gatewayAddress.has(w.id)).length;
    if (listening < options.workers) return;
    announced = true;
    console.error(
      `imagegraph ready in ${Math.round(performance.now() - started)} ms: ${options.workers} workers (pids ${live()
        .map((w) => w.process.pid)
        .join(', ')})`,
    );
    console.error(options.banner(gatewayAddress.get(worker.id)!));
  });

  cluster.on('message', (worker, message: unknown) => {
    if (!isClusterMessage(message, 'imagegraph:metrics-request')) return;
    const answer = (response: Omit<MetricsResponse, 'type' | 'id'>) => {
      if (worker.isConnected())
        worker.send({ type: 'imagegraph:metrics-response', id: message.id, ...response } satisfies MetricsResponse);
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (live().length === 0) void finish(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - CRASH_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      console.error(
        `worker ${worker.process.pid} exited (${signal ?? code}); ${restarts.length} exits within ${CRASH_WINDOW_MS / 1000} s: stopping`,
      );
      stop(1);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}): starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS);
  });

  let exitCode = 0;
  function stop(code: number): void {
    exitCode = Math.max(exitCode, code);
    process.exitCode = exitCode;
    if (stopping) return;
    stopping = true;
    for (const worker of live()) askToShutDown(worker);
    setTimeout(() => {
      console.error('workers did not stop in time: stopping them now');
      for (const worker of live()) worker.process.kill('SIGKILL');
      if (finishing) process.exit(1);
      void finish(1);
    }, options.shutdownGraceMs + 10_000).unref();
    if (live().length === 0) void finish(exitCode);
  }

  let finishing = false;
  async function finish(code: number): Promise<void> {
    if (finishing) return;
    finishing = true;
    const timedOut = new Promise<void>((resolve) => setTimeout(resolve, ON_STOPPED_TIMEOUT_MS).unref());
    try {
      await Promise.race([options.onStopped?.(), timedOut]);
    } finally {
      process.exit(Math.max(code, exitCode));
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: stopping now`);
        for (const worker of live()) worker.process.kill('SIGKILL');
        process.exit(1);
      }
      console.error(
        `${signal}: asking ${live().length} workers to finish in-flight requests (at most ${options.shutdownGraceMs} ms), then stopping`,
      );
      stop(0);
    });
  }

  for (let i = 0; i < options.workers; i++) fork();
}
