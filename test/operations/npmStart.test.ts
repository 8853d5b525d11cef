/**
 * `npm start` stops when told: supervisors (systemd, foreman, IDEs, `kill`) signal the process they started, which is
 * npm. The script `exec`s node, so npm's child is the gateway itself and npm's signal forwarding reaches it: one
 * SIGTERM to npm's pid drains the gateway, and npm exits with its status.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('one SIGTERM to npm stops the gateway, and npm exits with its status', async () => {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('close', (code) => resolve(code)));
  try {
    let url: string | undefined;
    for (let i = 0; i < 900 && !url; i++) {
      url = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(url, output).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: finishing in-flight requests');
    await expect(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL');
  }
}, 120_000);
