/**
 * `npm run sandbox`: the three emulators alone, on fixed ports (SANDBOX_HOST, SANDBOX_CYCLE_PORT, SANDBOX_CF_PORT,
 * SANDBOX_DOCKERCLOUD_PORT; defaults 127.0.0.1 and 4101-4103), until interrupted.
 */
import { DEMO_JOB_DURATION_MS } from './demo.js';
import { describeSandbox, startSandbox } from './index.js';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const portFromEnv = (name: string, fallback: number) => intFromEnv(name, fallback, 0, 65535);

const sandbox = await startSandbox({
  host: process.env.SANDBOX_HOST ?? '127.0.0.1',
  ports: {
    cycle: portFromEnv('SANDBOX_CYCLE_PORT', 4101),
    cf: portFromEnv('SANDBOX_CF_PORT', 4102),
    dockercloud: portFromEnv('SANDBOX_DOCKERCLOUD_PORT', 4103),
  },
  jobDurationMs: intFromEnv('SANDBOX_JOB_DURATION_MS', DEMO_JOB_DURATION_MS, 0, 600_000),
  secondTenant: process.env.SANDBOX_SECOND_TENANT === 'true',
});
console.log(`imagegraph sandbox: emulated upstreams with their demo credentials\n${describeSandbox(sandbox)}`);
console.log('Test controls on each: GET|DELETE /__sandbox/requests, POST|DELETE /__sandbox/faults');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
