/**
 * One request's OpenTelemetry spans: a SERVER span per GraphQL operation, parented under the caller's W3C
 * `traceparent` when it sent one, and a CLIENT span per upstream exchange under the operation span, whose context
 * goes upstream in `traceparent`. Parenting is explicit (the request's context carries this object down to the
 * upstream layer through its UpstreamTrace), so nothing depends on async context surviving Apollo's internals.
 *
 * Each operation of a batched HTTP request has a context of its own (http/graphql.ts), and so its own RequestSpans:
 * its exchanges are parented under its own operation span. Within one context, exchanges go under its first one.
 */
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import type { ExchangeOutcome, ExchangeSpan, ExchangeStart, ExchangeTracer } from '../upstreams/shared/observer.js';

// Incubating semantic conventions are copied, not imported (the package's advice: they may change between minors).
export const ATTR_URL_TEMPLATE = 'url.template';
export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const ATTR_PEER_SERVICE = 'peer.service';
/** Gateway-specific attributes. */
export const ATTR_UPSTREAM = 'imagegraph.upstream';
export const ATTR_REQUEST_ID = 'imagegraph.request_id';
export const ATTR_OUTCOME = 'imagegraph.outcome';
export const ATTR_ERROR_CODES = 'imagegraph.error_codes';

const propagator = new W3CTraceContextPropagator();

export class RequestSpans implements ExchangeTracer {
  readonly #tracer: Tracer;
  readonly #requestId: string;
  /** The caller's span context (from `traceparent`), or the root context. */
  readonly #remote: Context;
  /** The context of the first operation span: the parent of every upstream exchange span. */
  #operation: Context | undefined;

  constructor(tracer: Tracer, headers: Readonly<Record<string, string | string[] | undefined>>, requestId: string) {
    this.#tracer = tracer;
    this.#requestId = requestId;
    this.#remote = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  }

  /** Starts an operation's span; the caller names it once the operation is known and ends it with the response. */
  startOperation(): Span {
    const span = this.#tracer.startSpan(
      'GraphQL Operation',
      { kind: SpanKind.SERVER, attributes: { [ATTR_REQUEST_ID]: this.#requestId } },
      this.#remote,
    );
    this.#operation ??= trace.setSpan(this.#remote, span);
    return span;
  }

  /** The trace id of this request (for log lines): the operation's, else the caller's, else empty. */
  get traceId(): string {
    return trace.getSpanContext(this.#operation ?? this.#remote)?.traceId ?? '';
  }

  startExchange(exchange: ExchangeStart): ExchangeSpan {
    const parent = this.#operation ?? this.#remote;
    const span = this.#tracer.startSpan(
      `${exchange.method} ${exchange.route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: exchange.method,
          [ATTR_URL_TEMPLATE]: exchange.route,
          [ATTR_SERVER_ADDRESS]: exchange.serverAddress,
          [ATTR_SERVER_PORT]: exchange.serverPort,
          [ATTR_PEER_SERVICE]: exchange.upstream,
          [ATTR_UPSTREAM]: exchange.upstream,
        },
      },
      parent,
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
    return { headers, end: (status, outcome) => endExchange(span, status, outcome) };
  }
}

/** HTTP client span conventions: 4xx and 5xx are errors for a client, and so is no response. */
function endExchange(span: Span, status: number, outcome: ExchangeOutcome): void {
  if (status > 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  const errorType = outcome !== 'response' ? outcome : status >= 400 ? String(status) : undefined;
  if (errorType !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
