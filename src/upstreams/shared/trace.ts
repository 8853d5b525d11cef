/**
 * The per-request record of upstream calls. With UPSTREAM_TRACE on it becomes `extensions.upstream` of the response;
 * tests and benchmarks count calls with it. It holds the path only: no query string (values could hold secrets) and
 * no headers.
 */
import type { UpstreamName } from '../../config.js';

export interface TracedUpstreamRequest {
  upstream: UpstreamName;
  method: string;
  /** Path without the query string. */
  path: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  durationMs: number;
}

export class UpstreamTrace {
  readonly requests: TracedUpstreamRequest[] = [];

  record(request: TracedUpstreamRequest): void {
    this.requests.push(request);
  }

  get calls(): number {
    return this.requests.length;
  }

  toExtension(): { calls: number; requests: TracedUpstreamRequest[] } {
    return { calls: this.requests.length, requests: this.requests };
  }
}
