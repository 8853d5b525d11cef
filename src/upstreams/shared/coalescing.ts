/**
 * Coalescing of identical upstream reads across GraphQL requests: while a read is in flight, the same read (same
 * credentials, method and URL) joins it instead of sending another request. Nothing is kept once the read ends:
 * this is sharing of work in flight, not a cache.
 *
 * Per waiter: each waiter stops waiting at its own time (its request's deadline) without disturbing the others; the
 * shared exchange is aborted only when every waiter has left. A flight takes at most `maxWaiters` waiters; the next
 * identical read starts a new flight, which later readers then join.
 *
 * The key is a digest: credential values never sit in a map key, and two callers share only when every credential
 * header is the same (tenant headers such as Cycle's `X-Hub-Id` included).
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';

/** A waiter stopped waiting (its deadline passed) before the shared read ended. */
export class WaitAbandoned extends Error {
  constructor() {
    super('stopped waiting for a shared upstream read');
    this.name = 'WaitAbandoned';
  }
}

/** What a waiter receives: the value (its own copy unless it started the read), and whether it started the read. */
export interface Joined<T> {
  value: T;
  started: boolean;
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/** The key of a read: a digest of the credential headers (names and values), the method and the request target. */
export function readKey(credentialHeaders: Readonly<Record<string, string>>, method: string, target: string): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(credentialHeaders).sort()) {
    hash.update(name.toLowerCase()).update('\0').update(credentialHeaders[name]!).update('\n');
  }
  return `${method} ${target} ${hash.digest('base64url')}`;
}

export class InFlightReads<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /**
   * @param maxWaiters the most waiters one flight takes (its starter included); at least 1.
   * @param copy a copy of a value for a waiter that joined: no waiter sees what another does to its value. It runs
   * as the read ends, before any waiter's code resumes.
   */
  constructor(
    readonly maxWaiters: number,
    private readonly copy: (value: T) => T,
  ) {}

  /** Reads in flight now (for tests and metrics). */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Joins the read under `key` in flight, or starts it with `start` (which must end when its signal aborts). This
   * waiter leaves after `leaveAfterMs` (rejecting with WaitAbandoned); an infinite value waits for the read's end.
   */
  join(key: string, start: (signal: AbortSignal) => Promise<T>, leaveAfterMs: number): Promise<Joined<T>> {
    let flight = this.#flights.get(key);
    const started = flight === undefined || flight.waiters >= this.maxWaiters;
    if (started) flight = this.#start(key, start);
    const joined = flight!;
    joined.waiters += 1;
    return new Promise<Joined<T>>((resolve, reject) => {
      let done = false;
      const timer = Number.isFinite(leaveAfterMs)
        ? setTimeout(() => {
            if (done) return;
            done = true;
            this.#leave(key, joined);
            reject(new WaitAbandoned());
          }, leaveAfterMs)
        : undefined;
      timer?.unref();
      joined.promise.then(
        (value) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          joined.waiters -= 1;
          resolve({ value: started ? value : this.copy(value), started });
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          joined.waiters -= 1;
          reject(error);
        },
      );
    });
  }

  #start(key: string, start: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = {
      promise: start(controller.signal).finally(() => {
        flight.settled = true;
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }),
      controller,
      waiters: 0,
      settled: false,
    };
    // Every waiter handles the outcome; this keeps a flight whose waiters all left from an unhandled rejection.
    flight.promise.catch(() => {});
    this.#flights.set(key, flight);
    return flight;
  }

  #leave(key: string, flight: Flight<T>): void {
    flight.waiters -= 1;
    if (flight.waiters > 0 || flight.settled) return;
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
    flight.controller.abort(new WaitAbandoned());
  }
}

/**
 * `dispatcher`, with every request it dispatches aborted when `signal` aborts: how a shared exchange ends when its
 * last waiter leaves, with the exchange itself (exchange.ts) unchanged.
 */
export function abortableBy(dispatcher: Dispatcher, signal: AbortSignal): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const watched: Dispatcher.DispatchHandler = Object.create(handler as object) as Dispatcher.DispatchHandler;
    watched.onRequestStart = (controller, context) => {
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
      handler.onRequestStart?.(controller, context);
    };
    return dispatch(options, watched);
  });
}
