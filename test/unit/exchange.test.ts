/**
 * bufferedExchange (src/upstreams/shared/exchange.ts) against a real loopback server: the whole response, the total
 * deadline wherever the exchange stands when it passes (the server sees the exchange cut short, or never sees it),
 * the deadline timer cleared when the exchange ends, a body that cannot be joined, and the body limit (a declared
 * length over it refused before any byte, a streamed body cut off where it passes it).
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferedExchange, ExchangeFailed, ResponseTooLarge } from '../../src/upstreams/shared/exchange.js';

let server: Server;
let origin: string;
/** The /slow-body responses, to see whether the client cut them short. */
const slowBodies: ServerResponse[] = [];
/** Requests for /queued that reached the server. */
let queuedArrivals = 0;
/** Bytes the server wrote for each /endless response, and whether it saw the connection close under it. */
const endless: { written: number; closed: boolean }[] = [];
const pools: Pool[] = [];
const pool = (connections = 4) => {
  const created = new Pool(origin, { connections });
  pools.push(created);
  return created;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/chunks') {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      const parts = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(1000) }));
      let i = 0;
      const next = () =>
        i < parts.length ? res.write((i === 0 ? '[' : ',') + parts[i++]!, () => setImmediate(next)) : res.end(']');
      next();
    } else if (req.url === '/slow-body') {
      slowBodies.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"started":');
      setTimeout(() => res.end('true}'), 3_000);
    } else if (req.url === '/endless') {
      // A JSON body that never ends, written as fast as the client reads it.
      const seen = { written: 0, closed: false };
      endless.push(seen);
      res.on('close', () => (seen.closed = true));
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.from('0,'.repeat(32_768));
      const next = () => {
        while (!res.destroyed) {
          seen.written += block.length;
          if (!res.write(block)) return void res.once('drain', next);
        }
      };
      res.write('[');
      next();
    } else if (req.url === '/declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) });
      res.write('[0');
    } else if (req.url === '/slow-headers') {
      setTimeout(() => res.end('{}'), 400);
    } else {
      if (req.url === '/queued') queuedArrivals += 1;
      res.end('{"ok":true}');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
  server.closeAllConnections();
  server.close();
});

describe('bufferedExchange', () => {
  it('resolves with the status, the headers as undici parses them, and every byte of a body sent in many chunks', async () => {
    const response = await bufferedExchange(pool(), { method: 'GET', path: '/chunks' }, 5_000);
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    const parsed = JSON.parse(response.body.toString('utf8')) as { i: number }[];
    expect(parsed.map((p) => p.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('fails with a TimeoutError and the status when the deadline passes during the body, cuts the exchange short, and the pool keeps serving', async () => {
    const single = pool(1);
    // The headers and the first chunk arrive at once; the deadline passes long before the rest.
    const failure = await bufferedExchange(single, { method: 'GET', path: '/slow-body' }, 1_000).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).status).toBe(200);
    expect(((failure as ExchangeFailed).cause as Error).name).toBe('TimeoutError');
    // The connection was closed under the server's response before it could finish (it would, 3 s in).
    const response = slowBodies.at(-1)!;
    if (!response.closed) await once(response, 'close');
    expect(response.writableFinished).toBe(false);
    expect((await bufferedExchange(single, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
  });

  it('answers a request still queued for a connection at its deadline, before the request ahead of it ends', async () => {
    const single = pool(1);
    const settled: string[] = [];
    const ahead = bufferedExchange(single, { method: 'GET', path: '/slow-headers' }, 5_000).then(() =>
      settled.push('ahead answered'),
    );
    const queued = bufferedExchange(single, { method: 'GET', path: '/queued' }, 100).catch((error: ExchangeFailed) => {
      settled.push(`queued failed: ${(error.cause as Error).name}, status ${error.status}`);
    });
    await Promise.all([ahead, queued]);
    expect(settled).toEqual(['queued failed: TimeoutError, status 0', 'ahead answered']);
    expect((await bufferedExchange(single, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
    // Given a connection after its deadline, the expired request was aborted before it was written.
    expect(queuedArrivals).toBe(0);
  });

  it('clears its deadline timer when the exchange ends, answered or failed', async () => {
    const DEADLINE_MS = 54_321; // tells this timer from undici's own
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    const deadlineTimers = () =>
      setTimeoutSpy.mock.calls.flatMap((call, i) =>
        call[1] === DEADLINE_MS ? [setTimeoutSpy.mock.results[i]!.value] : [],
      );

    await bufferedExchange(pool(), { method: 'GET', path: '/ok' }, DEADLINE_MS);
    const refused = new Pool('http://127.0.0.1:1', { connections: 1 });
    pools.push(refused);
    await expect(bufferedExchange(refused, { method: 'GET', path: '/ok' }, DEADLINE_MS)).rejects.toBeInstanceOf(
      ExchangeFailed,
    );

    const timers = deadlineTimers();
    expect(timers).toHaveLength(2);
    for (const timer of timers) expect(clearTimeoutSpy).toHaveBeenCalledWith(timer);
  });

  it('rejects, and does not hang, when the body cannot be joined', { timeout: 5_000 }, async () => {
    vi.spyOn(Buffer, 'concat').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    const failure = await bufferedExchange(pool(), { method: 'GET', path: '/chunks' }, 5_000).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).status).toBe(200);
    expect(((failure as ExchangeFailed).cause as Error).message).toBe('Array buffer allocation failed');
  });

  it('refuses a body whose content-length is over the limit before reading it, and the pool keeps serving', async () => {
    const single = pool(1);
    const failure = await bufferedExchange(single, { method: 'GET', path: '/declared' }, 5_000, () => 1024).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).status).toBe(200);
    expect((failure as ExchangeFailed).cause).toEqual(new ResponseTooLarge(1024, true));
    expect((failure as ExchangeFailed).cause).toMatchObject({ maxBytes: 1024, declared: true });
    expect((await bufferedExchange(single, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
  });

  it('cuts a streamed body off where it passes the limit: the connection is closed, the pool keeps serving', async () => {
    const single = pool(1);
    const limit = 256 * 1024;
    const failure = await bufferedExchange(single, { method: 'GET', path: '/endless' }, 5_000, () => limit).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).cause).toMatchObject({
      name: 'ResponseTooLarge',
      maxBytes: limit,
      declared: false,
    });
    const seen = endless.at(-1)!;
    await vi.waitFor(() => expect(seen.closed).toBe(true));
    // No further than the limit and what the sockets buffered between the two ends.
    expect(seen.written).toBeLessThan(limit + 16 * 1024 * 1024);
    expect((await bufferedExchange(single, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
  });

  it('asks the limit of each response with its headers (an archive may be allowed more)', async () => {
    const asked: (string | string[] | undefined)[] = [];
    const response = await bufferedExchange(pool(), { method: 'GET', path: '/chunks' }, 5_000, (headers) => {
      asked.push(headers['content-type']);
      return 1024 * 1024;
    });
    expect(response.status).toBe(200);
    expect(asked).toEqual(['application/json']);
  });
});
