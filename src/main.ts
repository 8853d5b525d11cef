/**
 * The composition root: the only place that reads the environment, listens and handles signals.
 * With no upstream URL configured it starts the embedded sandbox first and points the gateway at it.
 */
import { ConfigError, parseConfig, type Config } from './config.js';
import { describeSandbox, startSandbox, type Sandbox } from './sandbox/index.js';
import { configForSandbox } from './sandboxMode.js';
import { createServer } from './server.js';

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

let sandbox: Sandbox | undefined;
if (config.mode === 'sandbox') {
  sandbox = await startSandbox();
  config = configForSandbox(config, sandbox);
}

const gateway = createServer(config);
const url = await gateway.listen();
console.log(`imagegraph ready in ${Math.round(performance.now() - started)} ms`);
console.log(`  GraphQL   ${url}/graphql`);
console.log(`  GraphiQL  ${url}/`);
if (sandbox) console.log(`Sandbox mode: no upstream URL configured, so the embedded emulators serve as upstreams:\n${describeSandbox(sandbox)}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then stopping`);
    void Promise.all([gateway.close(), sandbox?.close()]).then(() => process.exit(0));
  });
}
