/**
 * The per-request record of upstream calls. With UPSTREAM_TRACE on it becomes `extensions.upstream` of the response;
 * tests and benchmarks count calls with it. It holds the path only: no query string (values could hold secrets) and
 * no headers. When OpenTelemetry tracing is on it also carries the request's `ExchangeTracer`, so that every exchange
 * of this request gets its span under this request's operation span (explicit parenting, no async context).
 */
import type { UpstreamName } from '../../config.js';
import type { ExchangeTracer } from './observer.js';

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

  /**
   * @param spans this request's exchange spans; absent when tracing is off.
   * @param onRecord told of each exchange as it is recorded (the debug log lines, written as attempts happen).
   */
  constructor(
    readonly spans?: ExchangeTracer,
    private readonly onRecord?: (request: TracedUpstreamRequest) => void,
  ) {}

  record(request: TracedUpstreamRequest): void {
    this.requests.push(request);
    this.onRecord?.(request);
  }

  get calls(): number {
    return this.requests.length;
  }

  toExtension(): { calls: number; requests: TracedUpstreamRequest[] } {
    return { calls: this.requests.length, requests: this.requests };
  }
}
