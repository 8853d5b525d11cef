/**
 * A loopback HTTP server that answers every request with one hostile body, chosen by the test (`answer`): bodies
 * far over any bound, nested deeper than any real answer, dripped a byte at a time, declared larger than they are,
 * or compressed into a bomb. Bodies are streamed as they are generated, with the socket's backpressure, so a client
 * that stops reading (or closes) stops the generation: the server never holds a hostile body whole.
 * It counts the bytes it managed to write per answer, so a test can see where the client cut it off.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type HostileAnswer =
  /** A 200 JSON body of `bytes` bytes: an image list whose items repeat until the size is reached. */
  | { kind: 'huge'; bytes: number }
  /** A 200 JSON body of `bytes` bytes of `open` (`[` by default), nested as deep as it is long. */
  | { kind: 'deep'; bytes: number; open?: string }
  /** A 200 JSON body built from `unit` repeated inside `[` … `]` up to `bytes` (wide, shallow shapes). */
  | { kind: 'wide'; bytes: number; unit: string }
  /** Headers with `content-length: declared`, then `sent` bytes of a JSON list, then the connection is held. */
  | { kind: 'declared'; declared: number; sent: number }
  /** A JSON list dripped one byte every `intervalMs`, never finished. */
  | { kind: 'drip'; intervalMs: number }
  /** A small gzip body (`content-encoding: gzip`) that inflates to `inflated` bytes of JSON. */
  | { kind: 'gzip'; inflated: number };

export interface HostileUpstream {
  readonly url: string;
  /** What every request is answered with from now on. */
  answer(next: HostileAnswer): void;
  /** Bytes of body written to the socket for each request answered so far. */
  readonly written: number[];
  close(): Promise<void>;
}

const ITEM =
  '{"id":"66a263b53117c88aadfd452c","hub_id":"651586fca6078e98982dbd90","name":"redis:1.4.2","size":22433474,' +
  '"state":{"current":"live","changed":"2024-07-25T13:51:00Z"},"events":{"created":"2024-07-25T13:50:00Z"}}';

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Writes `head`, then as many whole `unit`s as fit in `total` bytes, then `tail` (so the body stays well-formed),
 * honouring backpressure; stops when the client goes away. Resolves with the bytes written.
 */
async function stream(response: ServerResponse, total: number, head: string, unit: string, tail: string) {
  const perBlock = Math.max(1, Math.floor(65_536 / unit.length));
  const block = Buffer.from(unit.repeat(perBlock));
  let units = Math.max(0, Math.floor((total - head.length - tail.length) / unit.length));
  let written = 0;
  const write = async (chunk: Buffer | string) => {
    if (response.destroyed) return false;
    written += chunk.length;
    if (!response.write(chunk)) await drainedOrClosed(response);
    return !response.destroyed;
  };
  if (!(await write(head))) return written;
  while (units > 0) {
    const count = Math.min(units, perBlock);
    units -= count;
    if (!(await write(count === perBlock ? block : block.subarray(0, count * unit.length)))) return written;
  }
  await write(tail);
  response.end();
  return written;
}

const bombs = new Map<number, Buffer>();

/** A gzip body inflating to `inflated` bytes of JSON, made once per size (making it takes a while). */
function gzipBomb(inflated: number): Buffer {
  let bomb = bombs.get(inflated);
  if (!bomb) {
    bomb = gzipSync(`{"data":[${'0,'.repeat(Math.floor((inflated - 12) / 2))}0]}`, { level: 9 });
    bombs.set(inflated, bomb);
  }
  return bomb;
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  let current: HostileAnswer = { kind: 'huge', bytes: 1024 };
  const written: number[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    response.on('error', () => {});
    const answer = current;
    const json = { 'content-type': 'application/json' };
    const index = written.push(0) - 1;
    switch (answer.kind) {
      case 'huge':
        response.writeHead(200, json);
        written[index] = await stream(response, answer.bytes, '{"data":[', `${ITEM},`, `${ITEM}]}`);
        return;
      case 'deep':
        response.writeHead(200, json);
        written[index] = await stream(response, answer.bytes, '', answer.open ?? '[', '');
        return;
      case 'wide':
        response.writeHead(200, json);
        written[index] = await stream(response, answer.bytes, '{"data":[', `${answer.unit},`, `${answer.unit}]}`);
        return;
      case 'declared': {
        response.writeHead(200, { ...json, 'content-length': String(answer.declared) });
        const body = `{"data":[${`${ITEM},`.repeat(Math.ceil(answer.sent / (ITEM.length + 1)))}`.slice(0, answer.sent);
        response.write(body);
        written[index] = body.length;
        return; // held open: the client must give up on its own
      }
      case 'drip': {
        response.writeHead(200, json);
        const body = `{"data":[${ITEM.repeat(1000)}`;
        let at = 0;
        const timer = setInterval(() => {
          if (response.destroyed || at >= body.length) return clearInterval(timer);
          response.write(body[at++]!);
          written[index] = at;
        }, answer.intervalMs);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case 'gzip': {
        const body = gzipBomb(answer.inflated);
        response.writeHead(200, { ...json, 'content-encoding': 'gzip', 'content-length': String(body.length) });
        response.end(body);
        written[index] = body.length;
        return;
      }
    }
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer: (next) => {
      if (next.kind === 'gzip') gzipBomb(next.inflated); // made now, not while a request waits
      current = next;
    },
    written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
