/**
 * Grafbase Gateway on a loopback port: the `grafbase` CLI from npm (`@grafbase/cli-x86_64-unknown-linux-musl`, which
 * ships the binary; `grafbase dev` composes the subgraphs' SDL and serves it offline). Its configuration is each
 * subgraph's table (URL, SDL file, and for imagegraph the WebSocket URL) followed by docs/examples/grafbase.toml as it
 * is, with the gateway token in IMAGEGRAPH_GATEWAY_TOKEN as that file reads it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTER_GATEWAY_TOKEN, type Router, type SubgraphSource } from './routers.js';

const CLI = new URL('../../node_modules/@grafbase/cli-x86_64-unknown-linux-musl/grafbase', import.meta.url).pathname;
const EXAMPLE = new URL('../../docs/examples/grafbase.toml', import.meta.url);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits (bounded) until the gateway answers a query. */
async function ready(url: string, output: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Grafbase Gateway did not start within 30 s:\n${output()}`);
}

export async function startGrafbaseGateway(subgraphs: SubgraphSource[]): Promise<Router> {
  const dir = mkdtempSync(join(tmpdir(), 'imagegraph-grafbase-'));
  const tables = subgraphs.map((s) => {
    writeFileSync(join(dir, `${s.name}.graphql`), s.sdl);
    const websocket = s.name === 'imagegraph' ? `websocket_url = "${s.url.replace(/^http/, 'ws')}"\n` : '';
    return `[subgraphs.${s.name}]\nurl = "${s.url}"\nschema_path = "./${s.name}.graphql"\n${websocket}`;
  });
  writeFileSync(join(dir, 'grafbase.toml'), `${tables.join('\n')}\n${readFileSync(EXAMPLE, 'utf8')}`);
  const port = await freePort();
  const child = spawn(CLI, ['dev', '-c', 'grafbase.toml', '-p', String(port)], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, IMAGEGRAPH_GATEWAY_TOKEN: ROUTER_GATEWAY_TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await ready(url, () => output);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    name: 'grafbase-gateway',
    url,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
