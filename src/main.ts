/**
 * The composition root: the only place that reads the environment, listens and handles signals.
 * With no upstream URL configured it starts the embedded sandbox first and points the gateway at it.
 */
import { ConfigError, parseConfig, type Config } from './config.js';
import type { Sandbox } from './sandbox/index.js';
import { configForSandbox } from './sandboxMode.js';
import { baseUrl, createServer } from './server.js';

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

// The sandbox and the OpenTelemetry SDK load only when used: start-up time is a target, and production needs neither.
let sandbox: Sandbox | undefined;
let describeSandbox: ((sandbox: Sandbox) => string) | undefined;
if (config.mode === 'sandbox') {
  const sandboxModule = await import('./sandbox/index.js');
  describeSandbox = sandboxModule.describeSandbox;
  sandbox = await sandboxModule.startSandbox();
  config = configForSandbox(config, sandbox);
}

const tracing = config.tracing ? (await import('./tracing/setup.js')).startTracing(config.tracing) : undefined;
const gateway = createServer(config, tracing ? { tracer: tracing.tracer } : {});
const url = await gateway.listen();
console.log(`imagegraph ready in ${Math.round(performance.now() - started)} ms`);
console.log(`  GraphQL   ${url}/graphql`);
console.log(`  GraphiQL  ${url}/`);
console.log(`  Metrics   ${gateway.metricsServer ? baseUrl(gateway.metricsServer) : url}/metrics`);
if (config.tracing) console.log(`  Tracing   OpenTelemetry (${config.tracing.exporters.join(', ')}), service ${config.tracing.serviceName}`);
if (sandbox && describeSandbox) console.log(`Sandbox mode: no upstream URL configured, so the embedded emulators serve as upstreams:\n${describeSandbox(sandbox)}`);

// Graceful shutdown: in-flight requests get SHUTDOWN_GRACE_MS (against the sandbox too, closed last), buffered spans
// are exported, then the process exits. A second signal, or a shutdown stuck past the grace, exits at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.log(`${signal} again: stopping now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: finishing in-flight requests (at most ${config.shutdownGraceMs} ms), then stopping`);
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
  });
}
