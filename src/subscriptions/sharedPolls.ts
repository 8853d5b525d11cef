/**
 * Shared polling: one upstream poll per (resource, caller credentials) however many subscribers watch it. A poll
 * reads on an interval that backs off while nothing changes (PollBackoff), delivers each change to every watcher,
 * and stops when its resource settles or its last watcher leaves. The key holds a SHA-256 digest of the caller's
 * upstream credentials, never the credentials: two callers share a poll only when they would send the same ones.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { UnusableCredentials, type UpstreamAuth, type UpstreamCredentials } from '../credentials.js';
import { UpstreamError, isUpstreamError } from '../errors.js';
import { PollBackoff, type PollBackoffOptions } from '../pollBackoff.js';
import { createUpstreams, type UpstreamPools } from '../upstreams/index.js';
import { RequestDeadline } from '../upstreams/shared/deadline.js';
import { isRenewing } from '../upstreams/shared/renewingCredential.js';
import { RetryBudget } from '../upstreams/shared/resilience.js';
import { UpstreamTrace } from '../upstreams/shared/trace.js';
import type { WatchKind, WatchTarget } from './watchTargets.js';

/** What a watcher receives: the resource's new value, or an upstream failure (with its usual code). */
export type PollEvent<T> = { value: T } | { error: GraphQLError };

export interface SharedPollOptions {
  backoff: PollBackoffOptions;
  /** How long a resource the upstream does not know (yet) is waited for, where the target waits at all. */
  unknownGraceMs: number;
  /** How long the upstream may keep failing (unavailable, rate limiting, 5xx) before the watches end. */
  outageMs: number;
  /** Retries one poll read may spend (as one GraphQL request may). */
  retryBudget: number;
  /** One poll read's deadline, as one GraphQL request's (REQUEST_TIMEOUT_MS). */
  readTimeoutMs: number;
}

export interface SharedPollObserver {
  /** The number of polls running changed. */
  pollsRunning(count: number): void;
  /** One poll read finished (each read may be several upstream exchanges: retries). */
  pollRead(kind: WatchKind, outcome: 'ok' | 'error'): void;
}

/** Failures that may pass: the poll keeps reading (backing off) until `outageMs`. Others end the watch. */
const PASSING_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'UPSTREAM_ERROR']);

export class SharedPolls {
  readonly #polls = new Map<string, Poll<unknown>>();
  #closed = false;

  constructor(
    private readonly pools: UpstreamPools,
    private readonly options: SharedPollOptions,
    private readonly observer?: SharedPollObserver,
  ) {}

  /** Polls running now. */
  get size(): number {
    return this.#polls.size;
  }

  /** A watch of `target` with the caller's credentials; ending it (return()) leaves the shared poll. */
  watch<T>(target: WatchTarget<T>, auth: UpstreamAuth): AsyncIterableIterator<PollEvent<T>> {
    if (this.#closed) throw shuttingDown();
    const key = `${target.kind}:${target.id}:${credentialDigest(auth[target.upstream])}`;
    let poll = this.#polls.get(key) as Poll<T> | undefined;
    if (!poll) {
      const started = new Poll<T>(
        target,
        () => this.#read(target, auth),
        this.options,
        () => {
          this.#polls.delete(key);
          this.observer?.pollsRunning(this.#polls.size);
        },
      );
      poll = started;
      this.#polls.set(key, poll as Poll<unknown>);
      this.observer?.pollsRunning(this.#polls.size);
      void started.run();
    }
    return poll.join();
  }

  /**
   * Shutdown: every watch gets a last SHUTTING_DOWN error, so that no subscriber takes the end of its stream for the
   * resource's end, then ends; new watches are refused.
   */
  close(): void {
    this.#closed = true;
    for (const poll of [...this.#polls.values()]) poll.end({ error: shuttingDown() });
  }

  async #read<T>(target: WatchTarget<T>, auth: UpstreamAuth): Promise<T | null> {
    // Clients as a request builds them: the pools' breakers, timeouts and retries, a retry budget and a deadline per
    // read.
    const upstreams = createUpstreams(
      this.pools,
      auth,
      new UpstreamTrace(),
      new RetryBudget(this.options.retryBudget),
      new RequestDeadline(this.options.readTimeoutMs),
    );
    try {
      const value = await target.read(upstreams);
      this.observer?.pollRead(target.kind, 'ok');
      return value;
    } catch (error) {
      this.observer?.pollRead(target.kind, 'error');
      throw error;
    }
  }
}

/** The credentials' digest: the same credentials give the same key, and the key reveals nothing of them. */
function credentialDigest(credential: UpstreamCredentials): string {
  if (!credential) return 'none';
  // Unusable headers fail every read the same way; the renewing credential is the server's one service identity.
  if (credential instanceof UnusableCredentials) return 'unusable';
  if (isRenewing(credential)) return 'service-renewing';
  const canonical = Object.entries(credential).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

class Poll<T> {
  readonly #watchers = new Set<Watch<T>>();
  readonly #stop = new AbortController();
  /** The last event delivered: a watcher that joins later starts from it. */
  #last: PollEvent<T> | undefined;
  #fingerprint: string | undefined;
  #ended = false;

  constructor(
    private readonly target: WatchTarget<T>,
    private readonly read: () => Promise<T | null>,
    private readonly options: SharedPollOptions,
    private readonly onEnd: () => void,
  ) {}

  join(): Watch<T> {
    const watch = new Watch<T>(() => this.#leave(watch));
    this.#watchers.add(watch);
    if (this.#last) watch.push(this.#last);
    return watch;
  }

  /** Delivers `final` (if any), ends every watch and stops reading. */
  end(final?: PollEvent<T>): void {
    if (this.#ended) return;
    if (final) this.#publish(final);
    this.#ended = true;
    this.#stop.abort();
    for (const watch of this.#watchers) watch.end();
    this.#watchers.clear();
    this.onEnd();
  }

  async run(): Promise<void> {
    const backoff = new PollBackoff(this.options.backoff);
    const started = Date.now();
    let seen = false;
    let failingSince: number | null = null;
    let failureShown: string | null = null;
    while (!this.#ended) {
      let changed = false;
      try {
        const value = await this.read();
        if (this.#ended) return;
        failingSince = null;
        failureShown = null;
        if (value === null) {
          const waiting = this.target.waitsWhileUnknown && !seen;
          if (!waiting || Date.now() - started >= this.options.unknownGraceMs)
            return this.end({ error: notFound(this.target) });
        } else {
          seen = true;
          const fingerprint = JSON.stringify(value);
          if (fingerprint !== this.#fingerprint) {
            this.#fingerprint = fingerprint;
            this.#publish({ value });
            changed = true;
          }
          if (this.target.isDone(value)) return this.end();
        }
      } catch (caught) {
        if (this.#ended) return;
        const error = asGraphQLError(caught);
        const code = String(error.extensions.code);
        if (!PASSING_CODES.has(code)) return this.end({ error });
        failingSince ??= Date.now();
        if (Date.now() - failingSince >= this.options.outageMs)
          return this.end({ error: outageError(error, this.options.outageMs) });
        // A failure is delivered once per streak (and per code); the value after it is delivered even if unchanged.
        if (failureShown !== code) {
          failureShown = code;
          this.#fingerprint = undefined;
          this.#publish({ error });
        }
      }
      await sleep(backoff.next(changed), undefined, { signal: this.#stop.signal }).catch(() => undefined);
    }
  }

  #publish(event: PollEvent<T>): void {
    this.#last = event;
    for (const watch of this.#watchers) watch.push(event);
  }

  #leave(watch: Watch<T>): void {
    this.#watchers.delete(watch);
    if (this.#watchers.size === 0) this.end();
  }
}

/** One watcher's stream: the events of its poll, in order, until the poll ends or the watcher leaves. */
class Watch<T> implements AsyncIterableIterator<PollEvent<T>> {
  readonly #queue: PollEvent<T>[] = [];
  #done = false;
  #waiting: ((result: IteratorResult<PollEvent<T>>) => void) | null = null;

  constructor(private readonly leave: () => void) {}

  push(event: PollEvent<T>): void {
    if (this.#done) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: event, done: false });
    } else this.#queue.push(event);
  }

  /** The poll ended: what is queued is still delivered, then the stream ends. */
  end(): void {
    this.#done = true;
    if (this.#waiting && this.#queue.length === 0) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<PollEvent<T>>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  /** The watcher leaves (the client unsubscribed or went away). */
  return(): Promise<IteratorResult<PollEvent<T>>> {
    if (!this.#done) {
      this.#done = true;
      this.#queue.length = 0;
      this.leave();
    }
    this.#waiting?.({ value: undefined, done: true });
    this.#waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function shuttingDown(): GraphQLError {
  return new GraphQLError(
    'The gateway is shutting down before this resource settled: subscribe again (another instance serves it)',
    { extensions: { code: 'SHUTTING_DOWN' } },
  );
}

function notFound(target: WatchTarget<unknown>): GraphQLError {
  return new GraphQLError(target.unknown, { extensions: { code: 'NOT_FOUND', upstream: target.upstream } });
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  // A bug, not an upstream failure: formatError masks it (and reports it) like any unexpected error.
  return new GraphQLError('Internal server error', { originalError: error as Error });
}

function outageError(last: GraphQLError, outageMs: number): GraphQLError {
  const message = `${last.message}; failing for ${Math.round(outageMs / 100) / 10} s, so the subscription ends`;
  if (isUpstreamError(last)) return new UpstreamError(message, last.extensions);
  return new GraphQLError(message, { extensions: last.extensions });
}
