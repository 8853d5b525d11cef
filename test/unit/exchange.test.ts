/**
 * bufferedExchange (src/upstreams/shared/exchange.ts) against a real loopback server: the whole response, the total
 * deadline wherever the exchange stands when it passes, and a body that cannot be joined.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferedExchange, ExchangeFailed } from '../../src/upstreams/shared/exchange.js';

let server: Server;
let origin: string;
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
      const next = () => (i < parts.length ? res.write((i === 0 ? '[' : ',') + parts[i++]!, () => setImmediate(next)) : res.end(']'));
      next();
    } else if (req.url === '/slow-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"started":');
      setTimeout(() => res.end('true}'), 3_000);
    } else if (req.url === '/slow-headers') {
      setTimeout(() => res.end('{}'), 400);
    } else {
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

  it('fails with a TimeoutError and the status when the deadline passes during the body, and the pool keeps serving', async () => {
    const shared = pool();
    // The headers and the first chunk arrive at once; the deadline passes long before the rest.
    const failure = await bufferedExchange(shared, { method: 'GET', path: '/slow-body' }, 1_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).status).toBe(200);
    expect(((failure as ExchangeFailed).cause as Error).name).toBe('TimeoutError');
    expect((await bufferedExchange(shared, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
  });

  it('answers a request still queued for a connection at its deadline, before the request ahead of it ends', async () => {
    const single = pool(1);
    const settled: string[] = [];
    const ahead = bufferedExchange(single, { method: 'GET', path: '/slow-headers' }, 5_000).then(() => settled.push('ahead answered'));
    const queued = bufferedExchange(single, { method: 'GET', path: '/ok' }, 100).catch((error: ExchangeFailed) => {
      settled.push(`queued failed: ${(error.cause as Error).name}, status ${error.status}`);
    });
    await Promise.all([ahead, queued]);
    expect(settled).toEqual(['queued failed: TimeoutError, status 0', 'ahead answered']);
    expect((await bufferedExchange(single, { method: 'GET', path: '/ok' }, 5_000)).status).toBe(200);
  });

  it('rejects, and does not hang, when the body cannot be joined', async () => {
    vi.spyOn(Buffer, 'concat').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    const failure = await bufferedExchange(pool(), { method: 'GET', path: '/chunks' }, 5_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExchangeFailed);
    expect((failure as ExchangeFailed).status).toBe(200);
    expect(((failure as ExchangeFailed).cause as Error).message).toBe('Array buffer allocation failed');
  });
});
