/**
 * The delay between two reads of upstream work that finishes later (a job, an image being imported, a package being
 * processed): short at first, doubling while nothing changes, back to the shortest after a change. Used by the
 * mutations' `awaitMs` wait (resolvers/jobs.ts) and by the shared polls of subscriptions (subscriptions/sharedPolls.ts).
 */
export interface PollBackoffOptions {
  firstMs: number;
  maxMs: number;
}

/** Upstream jobs here take from a fraction of a second to minutes: start fast, settle at about a read a second. */
export const JOB_POLL_BACKOFF: PollBackoffOptions = { firstMs: 100, maxMs: 1_000 };

export class PollBackoff {
  #delay: number;

  constructor(readonly options: PollBackoffOptions = JOB_POLL_BACKOFF) {
    this.#delay = options.firstMs;
  }

  /** The delay before the next read, given whether the last read saw a change. */
  next(changed: boolean): number {
    if (changed) this.#delay = this.options.firstMs;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.options.maxMs);
    return delay;
  }
}
