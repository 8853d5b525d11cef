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
import { configSecrets, SecretSet, secretsInHeaders, ServiceSecrets } from './secrets.js';
import type { SharedPolls } from './subscriptions/sharedPolls.js';
import { RequestSpans } from './tracing/requestSpans.js';
import { isDockerCloudNamespace } from './upstreams/dockercloud/index.js';
import { createUpstreams, type UpstreamPools, type Upstreams } from './upstreams/index.js';
import { RequestDeadline } from './upstreams/shared/deadline.js';
import type { RenewingCredential } from './upstreams/shared/renewingCredential.js';
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
  const server = serverSecrets(config, services);
  const secrets = new SecretSet(server.secrets);
  secrets.addAll(secretsInHeaders(headers));
  // Paths hold client-given ids, which may be secrets (a credential sent as an id): logged scrubbed.
  const trace = new UpstreamTrace(
    spans ?? undefined,
    onUpstreamRequest &&
      ((request) => onUpstreamRequest(requestId, { ...request, path: secrets.scrubPath(request.path) })),
  );
  const deadline = new RequestDeadline(config.requestTimeoutMs);
  const upstreamAuth = resolveUpstreamAuth(headers, config.serviceCredentials, {
    sources: config.credentialSources,
    renewing: server.renewing,
  });
  const upstreams = createUpstreams(
    pools,
    upstreamAuth,
    trace,
    new RetryBudget(config.retryBudgetPerRequest),
    deadline,
    config.cycleFactoryUrl,
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

interface ServerSecrets {
  config: Config;
  secrets: ServiceSecrets;
  /** The server's renewing credentials, each telling `secrets` of the tokens it hands out. */
  renewing: RenewingServiceCredentials;
}

/** Per server (one ContextServices object each): its service secrets and the renewing credentials that feed them. */
const SERVER_SECRETS = new WeakMap<ContextServices, ServerSecrets>();

function serverSecrets(config: Config, services: ContextServices): ServerSecrets {
  const known = SERVER_SECRETS.get(services);
  if (known?.config === config) return known;
  const secrets = new ServiceSecrets(configSecrets(config));
  const renewing: RenewingServiceCredentials = {};
  for (const [name, credential] of Object.entries(services.renewingCredentials ?? {}) as [
    keyof RenewingServiceCredentials,
    RenewingCredential,
  ][]) {
    renewing[name] = {
      kind: 'renewing',
      async headers(deadline) {
        const headers = await credential.headers(deadline);
        secrets.sawHeaders(headers);
        return headers;
      },
      refused: (headers) => credential.refused(headers),
    };
  }
  const made = { config, secrets, renewing };
  SERVER_SECRETS.set(services, made);
  return made;
}

/**
 * The caller's own Docker Cloud namespace: the user its credential authenticates, when that can name a namespace.
 * Otherwise null, and the own reads keep the unnamed namespace the gateway can read back.
 */
function ownDockerCloudNamespace(auth: UpstreamAuth): string | null {
  const user = dockerCloudUser(auth.dockercloud);
  return user !== null && isDockerCloudNamespace(user) ? user : null;
}
