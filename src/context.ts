/**
 * The per-request context: this request's credentials, upstream clients, loaders and trace. Nothing here outlives
 * the request, so no loader or cache can serve one caller's data to another.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Config } from './config.js';
import { resolveUpstreamAuth, type UpstreamAuth } from './credentials.js';
import { createLoaders, type BatchObserver, type Loaders } from './loaders/index.js';
import { SecretSet, secretsInHeaders } from './secrets.js';
import type { SharedPolls } from './subscriptions/sharedPolls.js';
import { RequestSpans } from './tracing/requestSpans.js';
import { createUpstreams, type UpstreamPools, type Upstreams } from './upstreams/index.js';
import { RetryBudget } from './upstreams/shared/resilience.js';
import { UpstreamTrace } from './upstreams/shared/trace.js';

export interface Context {
  config: Config;
  /** From the `x-request-id` header (set by the HTTP layer when the client sent none); in every log line. */
  requestId: string;
  /** This request's secrets (credentials, secret inputs): scrubbed from its errors and log lines. */
  secrets: SecretSet;
  trace: UpstreamTrace;
  /** This request's OpenTelemetry spans; null when tracing is off. */
  spans: RequestSpans | null;
  /** This request's upstream credentials (headers per upstream); shared polls key on their digest. */
  upstreamAuth: UpstreamAuth;
  upstreams: Upstreams;
  loaders: Loaders;
  /** The shared polls subscriptions watch through; set only for subscription operations (src/subscriptions/). */
  polls?: SharedPolls;
}

/** Server-wide helpers a context is built with. */
export interface ContextServices {
  /** OpenTelemetry tracer; absent when tracing is off. */
  tracer?: Tracer;
  /** Told of every DataLoader batch (metrics). */
  observeBatch?: BatchObserver;
}

export function createContext(
  config: Config,
  pools: UpstreamPools,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  services: ContextServices = {},
): Context {
  const requestId = String(headers['x-request-id'] ?? '');
  const spans = services.tracer ? new RequestSpans(services.tracer, headers, requestId) : null;
  const trace = new UpstreamTrace(spans ?? undefined);
  const secrets = new SecretSet();
  secrets.addAll(secretsInHeaders(headers));
  const upstreamAuth = resolveUpstreamAuth(headers, config.serviceCredentials);
  const upstreams = createUpstreams(pools, upstreamAuth, trace, new RetryBudget(config.retryBudgetPerRequest));
  return {
    config,
    requestId,
    secrets,
    trace,
    spans,
    upstreamAuth,
    upstreams,
    loaders: createLoaders(upstreams, services.observeBatch),
  };
}
