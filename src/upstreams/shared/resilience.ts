/**
 * Retries and the circuit breaker. Only idempotent reads are retried, never writes: a write that timed out may have
 * happened. A retry budget per GraphQL request keeps one request from multiplying load on an upstream that is
 * struggling. The breakers, one per upstream and caller credential (circuits.ts), fail fast while the upstream keeps
 * failing that caller's calls, and only that caller's.
 */
import CircuitBreaker from 'opossum';
import type { UpstreamName, UpstreamPolicy } from '../../config.js';
import { RefusedRequestError } from '../../errors.js';

/** Statuses worth retrying an idempotent read on. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Retries left for one GraphQL request, across all its upstream calls. */
export class RetryBudget {
  #left: number;

  constructor(retries: number) {
    this.#left = retries;
  }

  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left -= 1;
    return true;
  }
}

/**
 * One caller's retries to one upstream over time (a retry budget as Finagle's): each call deposits `percent`
 * hundredths of a retry and the budget refills by `minPerSecond` a second, up to what ten seconds of that minimum
 * allow; a retry spends one. So a caller whose calls keep failing multiplies its load on the upstream by at most
 * 1 + percent/100 (past the minimum), and another caller's budget is untouched by it. Starts full.
 */
export class CallerRetryBudget {
  readonly #perCall: number;
  readonly #perMs: number;
  readonly #cap: number;
  #balance: number;
  #at: number;

  constructor(
    policy: UpstreamPolicy['callerRetryBudget'],
    private readonly now: () => number = Date.now,
  ) {
    this.#perCall = policy.percent / 100;
    this.#perMs = policy.minPerSecond / 1000;
    this.#cap = Math.max(1, policy.minPerSecond * 10);
    this.#balance = policy.minPerSecond * 10;
    this.#at = now();
  }

  /** A call (its first attempt) was made. */
  deposit(): void {
    this.#refill();
    this.#balance = Math.min(this.#cap, this.#balance + this.#perCall);
  }

  /** Spends one retry when the budget holds one. */
  take(): boolean {
    this.#refill();
    if (this.#balance < 1) return false;
    this.#balance -= 1;
    return true;
  }

  #refill(): void {
    const now = this.now();
    this.#balance = Math.min(this.#cap, this.#balance + (now - this.#at) * this.#perMs);
    this.#at = now;
  }
}

/**
 * How long to wait before retry number `attempt` (1-based), or null when the upstream asked for a longer wait than
 * the policy allows. A `Retry-After` is honoured exactly; otherwise exponential backoff with full jitter.
 */
export function retryDelayMs(
  attempt: number,
  policy: UpstreamPolicy,
  retryAfterSeconds: number | undefined,
  random = Math.random,
): number | null {
  if (retryAfterSeconds !== undefined) {
    const asked = retryAfterSeconds * 1000;
    return asked <= policy.maxRetryAfterMs ? asked : null;
  }
  return Math.round(random() * policy.retryBaseDelayMs * 2 ** (attempt - 1));
}

/** A breaker's view of an upstream answer: 5xx counts as a failure, any other answer as a success. */
export class ServerFailureStatus extends Error {
  constructor(readonly response: unknown) {
    super('upstream answered 5xx');
  }
}

export type UpstreamBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/** One caller's breaker for one upstream. It wraps nothing itself: each call fires the request it is given. */
export function createBreaker(upstream: UpstreamName, policy: UpstreamPolicy): UpstreamBreaker {
  return new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: upstream,
    // Timeouts are the HTTP layer's (connect, first byte, total): the breaker only counts them.
    timeout: false,
    errorThresholdPercentage: policy.breaker.errorThresholdPercentage,
    volumeThreshold: policy.breaker.volumeThreshold,
    rollingCountTimeout: policy.breaker.windowMs,
    resetTimeout: policy.breaker.resetMs,
    // Only the counts decide; the gateway's metrics time every exchange. Left on, opossum keeps every call's latency
    // for the window and sorts them all on each failure and at each bucket's snapshot (about 1% of the CPU at 5,700
    // calls/s, and a growing array per bucket for the garbage collector).
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    // A request the HTTP client refused never reached the upstream: it says nothing of the upstream's health.
    errorFilter: (error: unknown) => error instanceof RefusedRequestError,
  });
}
