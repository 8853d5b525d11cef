/**
 * CC's rate limiter headers (cf-v3-packages.md §1; `middleware/base_rate_limiter.rb`): every authenticated response
 * carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds when the window
 * resets). Over the limit: 429 `CF-RateLimitExceeded` with `Retry-After`.
 *
 * The limit is per token and per hour, as in CC, but set far above anything tests or benchmarks send: the headers
 * are there so clients can read them; tests that need a 429 inject one with a fault.
 */
import { CfApiError } from './errors.js';

const WINDOW_MS = 3_600_000;
export const RATE_LIMIT_PER_HOUR = 1_000_000;

interface Window {
  resetAt: number;
  remaining: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();

  /** Counts one request for the token; returns the headers to send, or throws 429 once the window is spent. */
  take(token: string, now = Date.now()): Record<string, string> {
    let window = this.#windows.get(token);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + WINDOW_MS, remaining: RATE_LIMIT_PER_HOUR };
      this.#windows.set(token, window);
    }
    const resetSeconds = Math.ceil(window.resetAt / 1000);
    if (window.remaining === 0) {
      throw new CfApiError('RateLimitExceeded').withHeaders({
        'retry-after': String(Math.ceil((window.resetAt - now) / 1000)),
      });
    }
    window.remaining -= 1;
    return {
      'x-ratelimit-limit': String(RATE_LIMIT_PER_HOUR),
      'x-ratelimit-remaining': String(window.remaining),
      'x-ratelimit-reset': String(resetSeconds),
    };
  }
}
