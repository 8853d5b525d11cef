/**
 * The per-request context: this request's credentials, upstream clients, loaders and trace. Nothing here outlives
 * the request, so no loader or cache can serve one caller's data to another.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Config } from './config.js';
import {
  dockerCloudUser,
  resolveUpstreamAuth,
  type RenewingServiceCredentials,
  type UpstreamAuth,
} from './credentials.js';
import { createLoaders, type BatchObserver, type Loaders } from './loaders/index.js';
import { SecretSet, secretsInHeaders } from './secrets.js';
import type { SharedPolls } from './subscriptions/sharedPolls.js';
import { RequestSpans } from './tracing/requestSpans.js';
import { isDockerCloudNamespace } from './upstreams/dockercloud/index.js';
import { createUpstreams, type UpstreamPools, type Upstreams } from './upstreams/index.js';
import { RequestDeadline } from './upstreams/shared/deadline.js';
import { RetryBudget } from './upstreams/shared/resilience.js';
import { UpstreamTrace, type TracedUpstreamRequest } from './upstreams/shared/trace.js';

export interface Context {
  config: Config;
  /** From the `x-request-id` header (set by the HTTP layer when the client sent none); in every log line. */
  requestId: string;
  /** This request's secrets (credentials, secret inputs): scrubbed from its errors and log lines. */
  secrets: SecretSet;
  trace: UpstreamTrace;
  /** REQUEST_TIMEOUT_MS from the request's start: bounds every upstream call, retry and job wait of the request. */
  deadline: RequestDeadline;
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
  /** Service credentials that renew (CF through UAA), shared by every request of the server. */
  renewingCredentials?: RenewingServiceCredentials;
  /** Told of each upstream exchange as it ends (each attempt of a retried call): the debug log lines. */
  onUpstreamRequest?: (requestId: string, request: TracedUpstreamRequest) => void;
}

export function createContext(
  config: Config,
  pools: UpstreamPools,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  services: ContextServices = {},
): Context {
  const requestId = String(headers['x-request-id'] ?? '');
  const spans = services.tracer ? new RequestSpans(services.tracer, headers, requestId) : null;
  const onUpstreamRequest = services.onUpstreamRequest;
  const trace = new UpstreamTrace(
    spans ?? undefined,
    onUpstreamRequest && ((request) => onUpstreamRequest(requestId, request)),
  );
  const deadline = new RequestDeadline(config.requestTimeoutMs);
  const secrets = new SecretSet();
  secrets.addAll(secretsInHeaders(headers));
  const upstreamAuth = resolveUpstreamAuth(headers, config.serviceCredentials, {
    sources: config.credentialSources,
    renewing: services.renewingCredentials,
  });
  const upstreams = createUpstreams(
    pools,
    upstreamAuth,
    trace,
    new RetryBudget(config.retryBudgetPerRequest),
    deadline,
  );
  return {
    config,
    requestId,
    secrets,
    trace,
    deadline,
    spans,
    upstreamAuth,
    upstreams,
    loaders: createLoaders(upstreams, () => ownDockerCloudNamespace(upstreamAuth), services.observeBatch),
  };
}

/**
 * The caller's own Docker Cloud namespace: the user its credential authenticates, when that can name a namespace.
 * Otherwise null, and the own reads keep the unnamed namespace the gateway can read back.
 */
function ownDockerCloudNamespace(auth: UpstreamAuth): string | null {
  const user = dockerCloudUser(auth.dockercloud);
  return user !== null && isDockerCloudNamespace(user) ? user : null;
}
