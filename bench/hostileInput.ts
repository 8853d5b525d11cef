/**
 * Before/after figures for issue 23's input findings, against a gateway in this process over echoing upstreams (a
 * plain node:http server, so the same script runs on builds that predate the sandbox's echo fault):
 *
 * - nested: `variables: {y: [[[…]]]}` 500,000 levels deep (about 1 MB): status, code, wall time and process CPU per
 *   request (the gateway's main thread, plus this client's small share);
 * - service: a CF upstream whose error `title` echoes the Authorization header, service credentials only
 *   (CF_TOKEN), nothing forwarded: does the token come back in the response or a log line?
 * - variable: `registerRepository(password: $x)` with a Docker Cloud upstream that echoes the request body in its
 *   error: does the password come back?
 *
 * `npx tsx bench/hostileInput.ts [--rounds 5]`
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { createServer as createGateway } from '../src/server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

const CF_TOKEN = 'cf-service-token-0123456789abcdef';
const DC_USER = 'acme';
const DC_KEY = 'dc-service-key-0123456789abcdef';
const PASSWORD = 'hunter2-registry-password-42';

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** CF answers 422 with the Authorization header in its title; Docker Cloud answers 400 with the request body. */
async function startEchoUpstream(): Promise<{ url: string; close(): void }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readAll(req).then((body) => {
      const auth = String(req.headers.authorization ?? '');
      const payload = req.url?.startsWith('/api/')
        ? { error: `invalid request: ${body}` }
        : { errors: [{ code: 10008, title: `CF-Echo ${auth}`, detail: `rejected ${auth}` }] };
      res.writeHead(req.url?.startsWith('/api/') ? 400 : 422, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

async function main(): Promise<void> {
  const upstream = await startEchoUpstream();
  const logLines: string[] = [];
  const config = parseConfig({
    CF_API_URL: upstream.url,
    CF_TOKEN,
    DOCKER_CLOUD_API_URL: upstream.url,
    DOCKER_CLOUD_USERNAME: DC_USER,
    DOCKER_CLOUD_API_KEY: DC_KEY,
    CF_RETRIES: '0',
    DOCKER_CLOUD_RETRIES: '0',
  });
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const gateway = createGateway(config, { logger });
  const base = await gateway.listen(0, '127.0.0.1');
  const post = async (body: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  };

  const depth = 500_000;
  const nested = `{"query":"{ __typename }","variables":{"y":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
  console.log(`nested variables: ${depth} levels, ${nested.length} bytes, ${rounds} rounds`);
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { status, text } = await post(nested);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const code = /"code":"(\w+)"/.exec(text)?.[1];
    console.log(
      `  round ${i + 1}: HTTP ${status} ${code}, wall ${wallMs.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms`,
    );
  }

  const leaks = (text: string, secret: string) => (text.includes(secret) ? 'LEAKED' : 'clean');
  const service = await post(JSON.stringify({ query: '{ packages(first: 1) { totalCount } }' }));
  console.log(
    `service credential (CF_TOKEN) echoed by the upstream: response ${leaks(service.text, CF_TOKEN)}, logs ${leaks(logLines.join('\n'), CF_TOKEN)}`,
  );
  console.log(`  response: ${service.text.slice(0, 400)}`);

  const variable = await post(
    JSON.stringify({
      query: 'mutation($n: String!, $x: String) { registerRepository(name: $n, username: "u", password: $x) { name } }',
      variables: { n: 'quay.io/acme/api', x: PASSWORD },
    }),
  );
  console.log(
    `password through $x echoed by the upstream: response ${leaks(variable.text, PASSWORD)}, logs ${leaks(logLines.join('\n'), PASSWORD)}`,
  );
  console.log(`  response: ${variable.text.slice(0, 400)}`);

  await gateway.close();
  upstream.close();
}

await main();
