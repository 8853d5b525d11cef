/**
 * The composition root: the only place that reads the environment, listens and handles signals.
 * With no upstream URL configured it starts the embedded sandbox first and points the gateway at it.
 * With WORKERS > 1 this process becomes the primary of a cluster (cluster/primary.ts) and each worker runs the
 * gateway below; a primary in sandbox mode runs the sandbox and hands its URLs to the workers.
 */
import cluster from 'node:cluster';
import { ConfigError, parseConfig, type Config } from './config.js';
import { SANDBOX_URLS_VARIABLE } from './cluster/messages.js';
import { httpUrl } from './http/url.js';
import type { SandboxUrls } from './sandbox/describe.js';
import type { SandboxThread } from './sandbox/thread.js';
import { configForSandbox } from './sandboxMode.js';

const started = performance.now();

let config: Config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
// On stderr: stdout carries the JSON log lines only.
if (cluster.isPrimary) for (const warning of config.warnings) console.error(`configuration warning: ${warning}`);

// A cluster worker joins first, so that the primary's metrics collection and shutdown request reach it while it loads.
const clusterLink = cluster.isWorker ? (await import('./cluster/worker.js')).joinCluster() : undefined;

/** The modules a process that serves requests needs: loaded once, early in sandbox mode. */
let gatewayModules: Promise<[typeof import('./logging.js'), typeof import('./server.js')]> | undefined;
const loadGatewayModules = () => (gatewayModules ??= Promise.all([import('./logging.js'), import('./server.js')]));

// The sandbox, the OpenTelemetry SDK and the cluster code load only when used: start-up time is a target. In sandbox
// mode the emulators start on a thread of their own while this thread loads the gateway.
const isClusterPrimary = config.workers > 1 && cluster.isPrimary;
let sandbox: SandboxThread | undefined;
let sandboxBanner = '';
const inheritedSandbox = process.env[SANDBOX_URLS_VARIABLE];
if (config.mode === 'sandbox' && cluster.isWorker && inheritedSandbox) {
  config = configForSandbox(config, JSON.parse(inheritedSandbox) as SandboxUrls);
} else if (config.mode === 'sandbox') {
  const { startSandboxThread } = await import('./sandbox/thread.js');
  const [thread, { describeSandbox }] = await Promise.all([
    startSandboxThread({ jobDurationMs: config.sandboxJobDurationMs }),
    import('./sandbox/describe.js'),
    isClusterPrimary || loadGatewayModules(),
  ]);
  sandbox = thread;
  sandboxBanner = `Sandbox mode: no upstream URL configured, so the embedded emulators serve as upstreams:\n${describeSandbox(sandbox)}`;
  config = configForSandbox(config, sandbox);
}

if (isClusterPrimary) {
  const { runPrimary } = await import('./cluster/primary.js');
  const urls: SandboxUrls | undefined = sandbox && {
    cycle: sandbox.cycle,
    cf: sandbox.cf,
    dockercloud: sandbox.dockercloud,
  };
  runPrimary({
    workers: config.workers,
    workerEnv: urls ? { [SANDBOX_URLS_VARIABLE]: JSON.stringify(urls) } : {},
    shutdownGraceMs: config.shutdownGraceMs,
    banner: (url) =>
      [
        banner(
          config,
          url,
          config.metricsListener ? httpUrl(config.metricsListener.host, config.metricsListener.port) : url,
        ),
        sandboxBanner,
      ]
        .filter(Boolean)
        .join('\n'),
    onStopped: async () => sandbox?.close(),
  });
} else {
  await runGateway(config);
}

async function runGateway(config: Config): Promise<void> {
  const [{ createLogger }, { baseUrl, createServer }] = await loadGatewayModules();
  const tracing = config.tracing ? (await import('./tracing/setup.js')).startTracing(config.tracing) : undefined;
  const logger = createLogger({
    level: config.logLevel,
    ...(cluster.worker ? { fields: { worker: cluster.worker.id } } : {}),
  });
  const gateway = createServer(config, {
    logger,
    ...(tracing ? { tracer: tracing.tracer } : {}),
    ...(clusterLink ? { metricsSource: (metrics) => clusterLink.metricsSource(metrics.registry) } : {}),
  });
  let url: string;
  try {
    url = await gateway.listen();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    const address = (error as { address?: string; port?: number }).address ?? config.host;
    const port = (error as { port?: number }).port ?? config.port;
    console.error(
      code === 'EADDRINUSE'
        ? `cannot listen on ${address}:${port}: the port is already in use (another imagegraph, or another server): stop it or set PORT`
        : code === 'EACCES'
          ? `cannot listen on ${address}:${port}: permission denied (ports below 1024 need privileges): set PORT`
          : `cannot listen on ${address}:${port}: no such local address: set HOST`,
    );
    await sandbox?.close();
    process.exit(1);
  }
  const metricsUrl = gateway.metricsServer ? baseUrl(gateway.metricsServer) : url;
  const readyMs = Math.round(performance.now() - started);
  // stdout carries the JSON log lines only; the human banner goes to stderr.
  logger.info(
    {
      readyMs,
      mode: config.mode,
      graphql: `${url}/graphql`,
      ...(config.graphiql ? { graphiql: `${url}/` } : {}),
      metrics: `${metricsUrl}/metrics`,
    },
    'imagegraph ready',
  );
  // One line per upstream, once the gateway answers: a slow upstream must not hold the start.
  if (!clusterLink || cluster.worker?.id === 1)
    void gateway.probeUpstreams().then((statuses) => {
      for (const { upstream, configured, credentialed, reachable, detail } of statuses)
        logger[reachable === false ? 'warn' : 'info'](
          { upstream, configured, credentialed, reachable, detail },
          'upstream',
        );
    });
  if (clusterLink) {
    console.error(`imagegraph worker ${cluster.worker!.id} (pid ${process.pid}) ready in ${readyMs} ms`);
  } else {
    console.error(`imagegraph ready in ${readyMs} ms`);
    console.error([banner(config, url, metricsUrl), sandboxBanner].filter(Boolean).join('\n'));
  }

  // Graceful shutdown: in-flight requests get SHUTDOWN_GRACE_MS (against the sandbox too, closed last), buffered spans
  // are exported, then the process exits. A second signal, or a shutdown stuck past the grace, exits at once.
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${reason}: finishing in-flight requests (at most ${config.shutdownGraceMs} ms), then stopping`);
    setTimeout(() => {
      console.error('shutdown did not finish in time: stopping now');
      process.exit(1);
    }, config.shutdownGraceMs + 5_000).unref();
    void (async () => {
      await gateway.close();
      await tracing?.shutdown();
      await sandbox?.close();
      process.exit(0);
    })().catch((error: unknown) => {
      console.error('shutdown failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: stopping now`);
        process.exit(1);
      }
      stop(signal);
    });
  }
  clusterLink?.onShutdown(stop);
}

/** Where to find the gateway (`metricsUrl`: the main URL, or METRICS_PORT's listener). */
function banner(config: Config, url: string, metricsUrl: string): string {
  const lines = [`  GraphQL   ${url}/graphql`];
  if (config.graphiql) lines.push(`  GraphiQL  ${url}/`);
  lines.push(`  Metrics   ${metricsUrl}/metrics`);
  if (config.tracing)
    lines.push(
      `  Tracing   OpenTelemetry (${config.tracing.exporters.join(', ')}), service ${config.tracing.serviceName}`,
    );
  return lines.join('\n');
}
