/**
 * A real redis-server for the tests, on a free loopback port, started and stopped by the test itself (no state on
 * disk). Debian's `redis-server` package provides the binary; `.ci/run` installs it. Without it the Redis tests are
 * skipped on a developer machine, and fail in CI (`CI=true`), where a missing binary is a broken setup.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** Whether the tests can run: throws in CI when they cannot. */
export function redisServerAvailable(): boolean {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  const available = probe.status === 0 && /Redis server/.test(probe.stdout);
  if (!available && process.env.CI === 'true')
    throw new Error(`${REDIS_SERVER} is not installed: CI must install Debian's redis-server (see .ci/run)`);
  return available;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://` URL, with the password when one is required. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface StartRedisOptions {
  /** @default a free port */
  port?: number;
  /** Require this password (`requirepass`). */
  password?: string;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitUntilReady(child, port);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

/** Resolves once the port accepts connections; rejects if the server exits first. */
async function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`))),
  );
  // Once it is ready, its exit (stop()) is expected: no unhandled rejection then.
  exited.catch(() => {});
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (await accepts(port)) return;
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 25))]);
  }
  await stopChild(child);
  throw new Error(`redis-server did not listen on ${port} within 10 s: ${output.slice(-500)}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
