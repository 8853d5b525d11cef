/**
 * The gateway as operators run it: `node --import tsx src/main.ts` in a process of its own, configured by environment
 * only (nothing inherited from the test runner but PATH and HOME). With no upstream URL it starts its own sandbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The process id (its memory is read from /proc). */
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** What it wrote to stdout alone (JSON log lines). */
  stdout(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The sources through tsx, as `npm run dev`; the build runs with `['dist/src/main.js']`, as `npm start`. */
const FROM_SOURCES = ['--import', 'tsx', 'src/main.ts'];

export async function startGatewayProcess(
  env: Record<string, string>,
  startTimeoutMs = 45_000,
  nodeArgs = FROM_SOURCES,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then stdout and stderr are read to the end, so output() holds the last lines too.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`gateway process did not start within ${startTimeoutMs} ms:\n${output}`)),
        startTimeoutMs,
      );
      const check = () => {
        const match = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      // The banner is on stderr (stdout carries JSON log lines only).
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`gateway process exited (${code}) before it was ready:\n${output}`));
      });
    });
    return {
      url,
      pid: child.pid!,
      output: () => output,
      stdout: () => stdout,
      stop: () => stopProcess(child, exited),
    };
  } catch (error) {
    await stopProcess(child, exited);
    throw error;
  }
}

function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

/** Polls `GET /readyz` until it answers 200; returns its last body otherwise. */
export async function waitUntilReady(url: string, timeoutMs = 10_000): Promise<{ status: number; body: unknown }> {
  const started = Date.now();
  let last = { status: 0, body: undefined as unknown };
  while (Date.now() - started < timeoutMs) {
    const response = await fetch(`${url}/readyz`);
    last = { status: response.status, body: await response.json() };
    if (response.status === 200) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}
