/**
 * What the upstream layer tells the outside about its traffic: server-wide events (metrics, see
 * observability/metrics.ts) and, per request, the span each exchange runs in (tracing, see tracing/requestSpans.ts).
 * The upstream layer knows neither Prometheus nor OpenTelemetry: it calls these interfaces, which default to no-ops.
 */
import type { UpstreamName } from '../../config.js';

/** How one HTTP exchange ended: a response (any status), a timeout, or no usable response for another reason. */
export type ExchangeOutcome = 'response' | 'timeout' | 'error';

/** One HTTP exchange with an upstream: each retry attempt is an exchange of its own. */
export interface ExchangeRecord {
  upstream: UpstreamName;
  /** The route template (`/v1/images/{imageId}`), never the raw path: bounded, and free of ids. */
  route: string;
  method: string;
  /** HTTP status, or 0 when no response headers arrived. */
  status: number;
  outcome: ExchangeOutcome;
  durationMs: number;
}

export type CircuitState = 'closed' | 'half-open' | 'open';

/** Server-wide events of the upstream layer. Called on the hot path: implementations must be cheap and never throw. */
export interface UpstreamObserver {
  exchanged(exchange: ExchangeRecord): void;
  /** An idempotent read is retried after `reason` (the HTTP status, or `no_response`). */
  retrying(upstream: UpstreamName, route: string, reason: string): void;
  circuitChanged(upstream: UpstreamName, state: CircuitState): void;
  /** A call failed fast because the circuit is open: no request was sent. */
  circuitRejected(upstream: UpstreamName): void;
}

export const NO_UPSTREAM_OBSERVER: UpstreamObserver = {
  exchanged() {},
  retrying() {},
  circuitChanged() {},
  circuitRejected() {},
};

/** The parts of an exchange a span describes. */
export interface ExchangeStart {
  upstream: UpstreamName;
  method: string;
  route: string;
  /** Host and port of the upstream's base URL. */
  serverAddress: string;
  serverPort: number;
}

/** A started exchange span: the headers that carry its context upstream, and how to end it. */
export interface ExchangeSpan {
  /** Propagation headers (W3C `traceparent`, maybe `tracestate`) to send with the exchange. */
  readonly headers: Readonly<Record<string, string>>;
  end(status: number, outcome: ExchangeOutcome): void;
}

/** Per request: starts the span of each exchange under the request's operation span. */
export interface ExchangeTracer {
  startExchange(exchange: ExchangeStart): ExchangeSpan;
}
