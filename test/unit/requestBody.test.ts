/**
 * readRequestBody (src/http/body.ts) on a real loopback server: whole bodies, the size limit (declared or reached),
 * and requests that end early, each settling rather than waiting forever.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PayloadTooLargeError, readRequestBody, RequestCutShortError } from '../../src/http/body.js';

const LIMIT = 64 * 1024;
let server: Server;
let port: number;
/** The outcome of each request's read, in arrival order. */
let outcomes: Promise<Buffer>[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const outcome = readRequestBody(req, LIMIT);
    outcomes.push(outcome);
    outcome.then(
      (body) => res.end(`read ${body.length}`),
      (error: Error) => (error instanceof PayloadTooLargeError ? res.end('too large') : res.destroy()),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const nextRequest = () => once(server, 'request') as Promise<[IncomingMessage]>;

it('reads a whole body, in one chunk or many, and an empty one', async () => {
  outcomes = [];
  const send = (chunks: string[]) =>
    new Promise<string>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  expect(await send(['{"query":"{ __typename }"}'])).toBe('read 26');
  expect(await send(Array.from({ length: 8 }, () => 'x'.repeat(1000)))).toBe('read 8000');
  expect(await send([])).toBe('read 0');
});

it('refuses a declared length over the limit before reading, and a chunked body as soon as it passes the limit', async () => {
  outcomes = [];
  const declared = request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    agent: false,
    headers: { 'content-length': LIMIT + 1 },
  });
  declared.write('x');
  const [answer] = (await once(declared, 'response')) as [IncomingMessage];
  expect(answer.statusCode).toBe(200);
  declared.destroy();
  await expect(outcomes[0]).rejects.toBeInstanceOf(PayloadTooLargeError);

  const arrived = nextRequest();
  const chunked = request({ port, host: '127.0.0.1', method: 'POST', agent: false });
  chunked.on('error', () => {});
  chunked.write('y'.repeat(LIMIT / 2));
  const [req] = await arrived;
  chunked.write('y'.repeat(LIMIT));
  await expect(outcomes[1]).rejects.toBeInstanceOf(PayloadTooLargeError);
  // Nothing more of it will be read: the request is destroyed, and with it its connection.
  await new Promise((resolve) => (req.destroyed ? resolve(null) : req.on('close', resolve)));
  expect(req.destroyed).toBe(true);
});

it('rejects with RequestCutShortError when the client goes away mid-body, and at once for a request already read', async () => {
  outcomes = [];
  const arrived = nextRequest();
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write('POST / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\nonly part');
  const [req] = await arrived;
  socket.destroy();
  await expect(outcomes[0]).rejects.toBeInstanceOf(RequestCutShortError);
  // Read again once it is over: no events will ever come, so it must not wait for them.
  await expect(readRequestBody(req, LIMIT)).rejects.toBeInstanceOf(RequestCutShortError);
  expect(req.listenerCount('data') + req.listenerCount('end') + req.listenerCount('error')).toBe(0);
});
