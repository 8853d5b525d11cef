/** InFlightReads on its own: sharing, copies per waiter, leaving, the abort when all have left, the waiter bound. */
import { expect, it } from 'vitest';
import { InFlightReads, readKey, WaitAbandoned } from '../../src/upstreams/shared/coalescing.js';

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
