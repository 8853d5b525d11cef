/**
 * InFlightReads on its own: sharing, copies per waiter, leaving, the abort when all have left, the waiter bound; and
 * abortableBy, which ends a shared exchange on a real connection.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortableBy, InFlightReads, readKey, WaitAbandoned } from '../../src/upstreams/shared/coalescing.js';
import { bufferedExchange, ExchangeFailed } from '../../src/upstreams/shared/exchange.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

const copy = (value: { items: number[] }) => structuredClone(value);

it('starts one read for identical keys and gives every waiter but the starter its own copy', async () => {
  const reads = new InFlightReads(10, copy);
  const upstream = deferred<{ items: number[] }>();
  let started = 0;
  const start = () => ((started += 1), upstream.promise);
  const waiters = [1, 2, 3].map(() => reads.join('k', start, Number.POSITIVE_INFINITY));
  upstream.resolve({ items: [1] });
  const [first, second, third] = await Promise.all(waiters);
  expect(started).toBe(1);
  expect([first!.started, second!.started, third!.started]).toEqual([true, false, false]);
  first!.value.items.push(2);
  expect(second!.value.items).toEqual([1]);
  expect(third!.value).not.toBe(second!.value);
  expect(reads.size).toBe(0);
});

it('rejects every waiter with the read’s error, and starts afresh afterwards', async () => {
  const reads = new InFlightReads(10, copy);
  const failing = deferred<{ items: number[] }>();
  const waiters = [1, 2].map(() => reads.join('k', () => failing.promise, Number.POSITIVE_INFINITY));
  failing.reject(new Error('upstream down'));
  for (const waiter of waiters) await expect(waiter).rejects.toThrow('upstream down');
  const again = await reads.join('k', () => Promise.resolve({ items: [3] }), Number.POSITIVE_INFINITY);
  expect(again).toEqual({ value: { items: [3] }, started: true });
});

it('lets one waiter leave at its time while the others wait; aborts the read only when all have left', async () => {
  const reads = new InFlightReads(10, copy);
  const upstream = deferred<{ items: number[] }>();
  let signal: AbortSignal | undefined;
  const start = (given: AbortSignal) => ((signal = given), upstream.promise);
  const leaving = reads.join('k', start, 10);
  const staying = reads.join('k', start, Number.POSITIVE_INFINITY);
  await expect(leaving).rejects.toBeInstanceOf(WaitAbandoned);
  expect(signal!.aborted).toBe(false);
  upstream.resolve({ items: [1] });
  expect((await staying).value).toEqual({ items: [1] });

  const abandoned = deferred<{ items: number[] }>();
  let abandonedSignal: AbortSignal | undefined;
  const both = [10, 20].map((ms) => reads.join('other', (given) => ((abandonedSignal = given), abandoned.promise), ms));
  for (const waiter of both) await expect(waiter).rejects.toBeInstanceOf(WaitAbandoned);
  expect(abandonedSignal!.aborted).toBe(true);
  expect(reads.size).toBe(0);
  abandoned.reject(abandonedSignal!.reason);
});

it('takes at most maxWaiters per read: the next identical read starts another, which later readers join', async () => {
  const reads = new InFlightReads(2, copy);
  const upstream = deferred<{ items: number[] }>();
  let started = 0;
  const start = () => ((started += 1), upstream.promise);
  const waiters = [1, 2, 3, 4].map(() => reads.join('k', start, Number.POSITIVE_INFINITY));
  expect(started).toBe(2);
  upstream.resolve({ items: [] });
  expect((await Promise.all(waiters)).map((joined) => joined.started)).toEqual([true, false, true, false]);
});

it('keys on every credential header, the method and the target, and never holds a credential in clear', () => {
  const key = readKey({ authorization: 'Bearer secret-key', 'x-hub-id': 'a' }, 'GET', '/v1/images');
  expect(key).not.toContain('secret-key');
  expect(readKey({ 'x-hub-id': 'a', authorization: 'Bearer secret-key' }, 'GET', '/v1/images')).toBe(key);
  expect(readKey({ authorization: 'Bearer secret-key', 'x-hub-id': 'b' }, 'GET', '/v1/images')).not.toBe(key);
  expect(readKey({ authorization: 'Bearer other', 'x-hub-id': 'a' }, 'GET', '/v1/images')).not.toBe(key);
  expect(readKey({ authorization: 'Bearer secret-key', 'x-hub-id': 'a' }, 'GET', '/v1/images?x=1')).not.toBe(key);
});

describe('abortableBy over a real loopback server', () => {
  let server: Server;
  let origin: string;
  let closedEarly = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.on('close', () => {
        if (!res.writableEnded) closedEarly += 1;
      });
      if (req.url === '/slow') setTimeout(() => res.end('{"late":true}'), 3_000);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('ends the exchange when the signal aborts, and leaves other exchanges of the pool alone', async () => {
    const pool = new Pool(origin, { connections: 2 });
    try {
      const controller = new AbortController();
      const slow = bufferedExchange(
        abortableBy(pool, controller.signal),
        { method: 'GET', path: '/slow', headers: {} },
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort(new WaitAbandoned());
      await expect(slow).rejects.toBeInstanceOf(ExchangeFailed);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closedEarly).toBe(1);

      const fine = await bufferedExchange(
        abortableBy(pool, new AbortController().signal),
        { method: 'GET', path: '/ok', headers: {} },
        10_000,
      );
      expect(JSON.parse(fine.body.toString('utf8'))).toEqual({ ok: true });
    } finally {
      await pool.close();
    }
  });
});
