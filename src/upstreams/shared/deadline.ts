/**
 * One GraphQL request's deadline (REQUEST_TIMEOUT_MS): every upstream call of the request, its retries, the waits
 * before them and the wait for a pool connection fit inside it. Past it, a call fails at once with
 * UPSTREAM_UNAVAILABLE naming its upstream, so one slow upstream cannot hold the fields of the others.
 */
export class RequestDeadline {
  readonly #at: number;

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#at = now() + timeoutMs;
  }

  /** Milliseconds left, never below 0. */
  remainingMs(): number {
    return Math.max(0, this.#at - this.now());
  }

  /** True when `ms` more (a retry's delay, say) still ends before the deadline, with room for the next exchange. */
  allows(ms: number): boolean {
    return this.remainingMs() > ms;
  }
}

/** A deadline that never passes: for callers outside a GraphQL request. */
export const NO_DEADLINE = new RequestDeadline(Number.POSITIVE_INFINITY);
