import { availableParallelism } from 'node:os';
import type { JwtOptions } from './http/jwtAuth.js';
import type { InputShapeLimits } from './inputShape.js';
import type { RequestLimits } from './plugins/requestLimits.js';
import { readTracingConfig, type TracingConfig } from './tracing/config.js';
import { DEMO_JOB_DURATION_MS } from './sandbox/demo.js';
import { unknownVariables } from './unknownVariables.js';

/**
 * Configuration: `parseConfig(env)` turns environment variables into a typed, validated `Config`, reporting every
 * problem at once. Only `main.ts` passes `process.env`; everything else receives a `Config`.
 */
export type UpstreamName = 'cycle' | 'cf' | 'dockercloud';

export const UPSTREAM_NAMES: readonly UpstreamName[] = ['cycle', 'cf', 'dockercloud'];

/** Human names used in messages and errors. */
export const UPSTREAM_LABELS: Record<UpstreamName, string> = {
  cycle: 'Cycle',
  cf: 'Cloud Foundry',
  dockercloud: 'Docker Cloud',
};

export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From request sent to response headers received. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

/** How the gateway treats one upstream: timeouts, concurrency, retries and the circuit breaker. */
export interface UpstreamPolicy {
  timeouts: UpstreamTimeouts;
  /** Keep-alive connections to the upstream: also the cap on concurrent requests to it (the rest wait in line). */
  connections: number;
  /** Retries of an idempotent read (GET) after 502/503/504, 429, a reset connection or a timeout. */
  retries: number;
  /** First retry delay; doubles per attempt, with full jitter. */
  retryBaseDelayMs: number;
  /** A 429/503 `Retry-After` longer than this is not waited for: the error is returned instead. */
  maxRetryAfterMs: number;
  /**
   * Each caller's retries to this upstream over time (one budget per caller credential, kept with its circuit): every
   * call earns `percent` hundredths of a retry, and `minPerSecond` retries a second are allowed whatever the calls.
   */
  callerRetryBudget: { percent: number; minPerSecond: number };
  /**
   * Identical GETs in flight at once with the same credentials share one request, with at most this many waiters
   * each (upstreams/shared/coalescing.ts); 0 turns coalescing off.
   */
  coalesceWaiters: number;
  /**
   * Largest response body read (`<UPSTREAM>_MAX_RESPONSE_BYTES`), archives excepted: a larger one is cut off where it
   * passes the bound and fails its fields with UPSTREAM_ERROR (reason RESPONSE_TOO_LARGE).
   */
  maxResponseBytes: number;
  /** Largest archive body (a package download): UPLOAD_MAX_BYTES, the largest archive the gateway takes in. */
  maxArchiveBytes: number;
  breaker: {
    /** Failure percentage (5xx, timeouts, connection errors) over the rolling window that opens the circuit. */
    errorThresholdPercentage: number;
    /** Requests in the window before the percentage counts. */
    volumeThreshold: number;
    /** Rolling window length. */
    windowMs: number;
    /** How long the circuit stays open before one probe request may close it. */
    resetMs: number;
    /** Circuits kept per upstream (one per caller credential); past it the least recently used is dropped. */
    maxCircuits: number;
    /** A circuit unused this long is dropped (a caller that comes back starts closed). */
    idleMs: number;
  };
}

export interface UpstreamEndpoint extends UpstreamPolicy {
  /** Base URL; may carry a path prefix (e.g. `https://cloud.docker.com/`). */
  url: string;
}

export interface ServiceCredentials {
  cycle?: { apiKey: string; hubId: string };
  /** A fixed bearer token (CF_TOKEN), or a UAA client whose tokens are fetched and renewed (upstreams/cf/uaa.ts). */
  cf?: CfServiceCredentials;
  dockercloud?: { username: string; apiKey: string };
}

export type CfServiceCredentials =
  | { token: string }
  | {
      /** CF_UAA_URL; absent: discovered from Cloud Controller's root document. */
      uaaUrl?: string;
      clientId: string;
      clientSecret: string;
    };

/**
 * Where an upstream's credentials may come from (`<UPSTREAM>_CREDENTIALS`): `forwarded` only from the caller's
 * headers (behind a router, so that a router that forwards nothing fails loudly instead of answering with the
 * service account), `service` only from the environment (forwarded headers ignored), `either` forwarded first, then
 * the service credentials.
 */
export type CredentialSource = 'forwarded' | 'service' | 'either';

export interface Config {
  /**
   * `sandbox`: main.ts starts the emulators and fills in URLs and demo credentials. Only with SANDBOX=true, or with no
   * upstream URL and a loopback HOST (SANDBOX unset); SANDBOX=false forbids it (the container image sets it).
   */
  mode: 'sandbox' | 'upstreams';
  /**
   * In sandbox mode, how long the emulators' jobs (Cycle jobs, CF deletes and uploads) take from accepted to done:
   * long enough by default that a person watching an import in GraphiQL sees it move through its states.
   */
  sandboxJobDurationMs: number;
  /** Start-up warnings: unknown variables with the gateway's prefixes, each with the closest known name. */
  warnings: string[];
  /** Explicit development mode (NODE_ENV=development): error responses carry details and stack traces. */
  development: boolean;
  host: string;
  port: number;
  /** Upstreams that have a URL; an upstream missing here answers `UPSTREAM_UNAVAILABLE` ("not configured"). */
  upstreams: Partial<Record<UpstreamName, UpstreamEndpoint>>;
  /** The policy of every upstream, configured or not (sandbox mode applies it to the emulators). */
  upstreamPolicies: Record<UpstreamName, UpstreamPolicy>;
  /** Retries one GraphQL request may spend across all its upstream calls. */
  retryBudgetPerRequest: number;
  /**
   * One GraphQL request's deadline (REQUEST_TIMEOUT_MS): every upstream call, retry, retry wait and job wait of the
   * request ends within it; a call cut off by it fails with UPSTREAM_UNAVAILABLE and the other fields still answer.
   */
  requestTimeoutMs: number;
  serviceCredentials: ServiceCredentials;
  credentialSources: Record<UpstreamName, CredentialSource>;
  /**
   * ROUTER_SERVICE_CREDENTIALS: whether router traffic that forwards no credential may be answered with the service
   * credentials (`allowed`: the service account is meant for every caller; the default in sandbox mode, whose
   * credentials are the public demo tenant's) or is refused (`refused`, the default with real upstreams).
   */
  routerServiceCredentials: 'refused' | 'allowed';
  /** Adds `extensions.upstream` (calls and requests) to every response. */
  upstreamTrace: boolean;
  introspection: boolean;
  /** Serve GraphiQL at `/` (and `/graphql` for browsers). */
  graphiql: boolean;
  /** Upper bound for a mutation's `awaitMs`. */
  jobAwaitMaxMs: number;
  /** Cloud Foundry: create packages through the early-v3 `POST /v3/apps/:guid/packages` route (old controllers). */
  cfLegacyAppPackagesRoute: boolean;
  /** Largest total size of the files one multipart GraphQL request may upload (UPLOAD_MAX_BYTES). */
  uploadMaxBytes: number;
  /** Largest size of one uploaded file, enforced while it streams (UPLOAD_MAX_FILE_BYTES). */
  uploadMaxFileBytes: number;
  /** Multipart requests streaming files at once; more are answered 503 (UPLOAD_MAX_CONCURRENT). */
  uploadMaxConcurrent: number;
  /**
   * Cycle's image factory, where `uploadImage` sends an OCI tar (cycle.md §5 "Upload flow", docs/upstream-notes.md).
   * @default https://factory.cycle.io:9414 (the contract's host); sandbox mode points it at the Cycle emulator.
   */
  cycleFactoryUrl: string;
  limits: RequestLimits & {
    /** Largest request body (JSON) in bytes. */
    maxBodyBytes: number;
    /** Operations in one batched request (a JSON array body); 1 turns batching off. */
    maxBatchOperations: number;
    /** Nesting depth and value count of an operation's variables (MAX_VARIABLES_DEPTH, MAX_VARIABLES_NODES). */
    variables: InputShapeLimits;
  };
  /**
   * Tokens clients present as `Authorization: Bearer <token>` to use the gateway. Required (start-up refuses
   * otherwise) when service credentials are configured and the gateway listens beyond loopback: whoever reached it
   * would act as the service account.
   */
  gatewayTokens: string[];
  /**
   * Client authentication with JWTs (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE): signature, expiry, issuer and audience
   * checked on `/graphql`; null when off. With GATEWAY_TOKENS too, either credential is accepted.
   */
  jwt: JwtOptions | null;
  /** Origins allowed to call the gateway from a browser (CORS); empty: same origin only; `*`: any. */
  corsOrigins: string[];
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** `/readyz` also probes each configured, credentialed upstream (READINESS_PROBES_UPSTREAMS; results kept 5 s). */
  readinessProbesUpstreams: boolean;
  /** At shutdown, how long in-flight requests may take to finish before their connections are closed. */
  shutdownGraceMs: number;
  /**
   * A separate listener for `GET /metrics` (no gateway token there: keep it on a private network); null serves
   * `/metrics` on the main listener, behind the gateway token when GATEWAY_TOKENS is set.
   */
  metricsListener: { host: string; port: number } | null;
  /** Redis, shared by replicas (persisted queries); null keeps that state in memory, per replica. */
  /** REDIS_URL; `password` (REDIS_PASSWORD) when kept out of the URL, e.g. the URL in a ConfigMap, it in a Secret. */
  redis: { url: string; keyPrefix: string; password?: string } | null;
  /** Automatic persisted queries (APQ), stored per caller credentials. */
  persistedQueries: { enabled: boolean; ttlSeconds: number };
  /** OpenTelemetry tracing from the standard `OTEL_*` variables; null when off (the default). */
  tracing: TracingConfig | null;
  /**
   * Gateway processes sharing the port (node:cluster): 1 runs the gateway in this process; more makes this process a
   * primary that forks that many workers (src/cluster/). `WORKERS=auto`: one per available CPU.
   */
  workers: number;
  /** Subscriptions over WebSocket and SSE (docs/subscriptions.md). */
  subscriptions: SubscriptionConfig;
}

export interface SubscriptionConfig {
  /** Subscriptions one WebSocket connection may run at once. */
  maxPerConnection: number;
  /** Subscriptions the gateway runs at once, over both transports. */
  maxTotal: number;
  /** A WebSocket connection with no subscription for this long is closed. */
  idleTimeoutMs: number;
  /** WebSocket ping interval; a connection that misses a pong is closed. */
  keepAliveMs: number;
  /** How long a WebSocket client has to send `connection_init`. */
  connectionInitTimeoutMs: number;
  /** The longest interval of a shared poll while nothing changes. */
  pollMaxMs: number;
  /** How long a job the upstream does not know yet is waited for before NOT_FOUND. */
  unknownGraceMs: number;
  /** How long an upstream may keep failing before the subscriptions on it end. */
  upstreamOutageMs: number;
  /** SSE stream reservations (PUT): per caller, in all, and how long an unopened one is kept. */
  sseReservations: { perCaller: number; total: number; ttlMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Cycle's image factory as the contract names it (cycle.md §5 "Upload flow for `cycle-upload`"). */
export const DEFAULT_CYCLE_FACTORY_URL = 'https://factory.cycle.io:9414';

const URL_VARIABLES: Record<UpstreamName, string> = {
  cycle: 'CYCLE_API_URL',
  cf: 'CF_API_URL',
  dockercloud: 'DOCKER_CLOUD_API_URL',
};

/** Prefix of the per-upstream policy variables, e.g. `CYCLE_CONNECT_TIMEOUT_MS`. */
const UPSTREAM_PREFIXES: Record<UpstreamName, string> = { cycle: 'CYCLE', cf: 'CF', dockercloud: 'DOCKER_CLOUD' };

/** The per-upstream variable of a policy setting, as messages name it: `CYCLE_MAX_RESPONSE_BYTES`. */
export function upstreamVariable(name: UpstreamName, setting: string): string {
  return `${UPSTREAM_PREFIXES[name]}_${setting}`;
}

export function parseConfig(env: Env): Config {
  const { config, reader } = readConfig(env);
  reader.throwIfProblems();
  return config;
}

/**
 * The name of every variable the gateway reads, given `env` (a few are read only when another is set: pass it). The
 * README's configuration table is checked against this list (test/unit/configDocs.test.ts).
 */
export function configVariables(env: Env = {}): string[] {
  return [...readConfig(env).reader.known].sort();
}

function readConfig(env: Env): { config: Config; reader: EnvReader } {
  const reader = new EnvReader(env);
  const development = reader.oneOf('NODE_ENV', ['development', 'production', 'test'], 'production') === 'development';
  const configuredUrls = UPSTREAM_NAMES.filter((name) => reader.string(URL_VARIABLES[name]) !== undefined);
  const host = reader.string('HOST') ?? '127.0.0.1';
  const sandboxMode = readSandboxMode(reader, configuredUrls, host);
  const mode = sandboxMode.mode;

  const uploadMaxBytes = reader.int('UPLOAD_MAX_BYTES', 64 * 1024 * 1024, 1, 64 * 1024 * 1024 * 1024);
  const upstreamPolicies = Object.fromEntries(
    UPSTREAM_NAMES.map((name) => [name, readPolicy(reader, name, uploadMaxBytes)]),
  ) as Record<UpstreamName, UpstreamPolicy>;
  const upstreams: Config['upstreams'] = {};
  for (const name of configuredUrls) {
    const url = reader.url(URL_VARIABLES[name]);
    if (url !== undefined) upstreams[name] = { url, ...upstreamPolicies[name] };
  }

  const config: Config = {
    mode,
    warnings: [],
    development,
    host,
    port: reader.int('PORT', 4000, 0, 65535),
    upstreams,
    upstreamPolicies,
    retryBudgetPerRequest: reader.int('RETRY_BUDGET_PER_REQUEST', 10, 0, 1000),
    requestTimeoutMs: reader.int('REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
    serviceCredentials: readServiceCredentials(reader),
    credentialSources: readCredentialSources(reader),
    // The sandbox's service credentials are its public demo tenant's: meant for everyone.
    routerServiceCredentials: reader.oneOf(
      'ROUTER_SERVICE_CREDENTIALS',
      ['refused', 'allowed'] as const,
      mode === 'sandbox' ? 'allowed' : 'refused',
    ),
    upstreamTrace: reader.bool('UPSTREAM_TRACE', mode === 'sandbox'),
    introspection: reader.bool('INTROSPECTION', development || mode === 'sandbox'),
    graphiql: reader.bool('GRAPHIQL', reader.bool('INTROSPECTION', development || mode === 'sandbox')),
    jobAwaitMaxMs: reader.int('JOB_AWAIT_MAX_MS', 30_000, 0, 300_000),
    cfLegacyAppPackagesRoute: reader.bool('CF_LEGACY_APP_PACKAGES_ROUTE', false),
    uploadMaxBytes,
    uploadMaxFileBytes: reader.int('UPLOAD_MAX_FILE_BYTES', 64 * 1024 * 1024, 1, 64 * 1024 * 1024 * 1024),
    uploadMaxConcurrent: reader.int('UPLOAD_MAX_CONCURRENT', 2, 1, 1000),
    cycleFactoryUrl: reader.url('CYCLE_FACTORY_URL') ?? DEFAULT_CYCLE_FACTORY_URL,
    limits: {
      maxDepth: reader.int('MAX_QUERY_DEPTH', 15, 1, 1000),
      maxAliases: reader.int('MAX_ALIASES', 30, 0, 10_000),
      maxDirectives: reader.int('MAX_DIRECTIVES', 50, 0, 10_000),
      maxTokens: reader.int('MAX_TOKENS', 5_000, 10, 1_000_000),
      maxCost: reader.int('MAX_QUERY_COST', 10_000, 1, 100_000_000),
      maxPageSize: MAX_PAGE_SIZE,
      maxEntityRepresentations: readMaxEntityRepresentations(reader),
      maxBodyBytes: reader.int('MAX_BODY_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxBatchOperations: reader.int('MAX_BATCH_OPERATIONS', 10, 1, 1000),
      variables: {
        maxDepth: reader.int('MAX_VARIABLES_DEPTH', 32, 1, 1000),
        maxNodes: reader.int('MAX_VARIABLES_NODES', 100_000, 1, 10_000_000),
      },
    },
    gatewayTokens: reader.list('GATEWAY_TOKENS'),
    jwt: readJwt(reader),
    corsOrigins: reader.list('CORS_ORIGINS'),
    logLevel: reader.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    shutdownGraceMs: reader.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    readinessProbesUpstreams: reader.bool('READINESS_PROBES_UPSTREAMS', false),
    metricsListener: readMetricsListener(reader, host),
    redis: readRedis(reader),
    persistedQueries: {
      enabled: reader.bool('PERSISTED_QUERIES', true),
      ttlSeconds: reader.int('PERSISTED_QUERIES_TTL_SECONDS', 86_400, 1, 365 * 86_400),
    },
    tracing: readTracingConfig(reader),
    workers: readWorkers(reader),
    subscriptions: {
      maxPerConnection: reader.int('SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 10_000),
      maxTotal: reader.int('SUBSCRIPTIONS_MAX', 5_000, 1, 1_000_000),
      idleTimeoutMs: reader.int('SUBSCRIPTION_IDLE_TIMEOUT_MS', 300_000, 1_000, 86_400_000),
      keepAliveMs: reader.int('SUBSCRIPTION_KEEPALIVE_MS', 12_000, 1_000, 600_000),
      connectionInitTimeoutMs: reader.int('SUBSCRIPTION_INIT_TIMEOUT_MS', 10_000, 100, 600_000),
      pollMaxMs: reader.int('SUBSCRIPTION_POLL_MAX_MS', 1_000, 100, 600_000),
      unknownGraceMs: reader.int('SUBSCRIPTION_UNKNOWN_GRACE_MS', 5_000, 0, 600_000),
      upstreamOutageMs: reader.int('SUBSCRIPTION_UPSTREAM_OUTAGE_MS', 30_000, 0, 3_600_000),
      sseReservations: {
        perCaller: reader.int('SSE_RESERVATIONS_PER_CALLER', 16, 1, 10_000),
        total: reader.int('SSE_RESERVATIONS_MAX', 1_000, 1, 1_000_000),
        ttlMs: reader.int('SSE_RESERVATION_TTL_MS', 30_000, 1_000, 600_000),
      },
    },
    sandboxJobDurationMs: reader.int('SANDBOX_JOB_DURATION_MS', DEMO_JOB_DURATION_MS, 0, 600_000),
  };
  for (const token of config.gatewayTokens) {
    if (token.length < 16) reader.problem('GATEWAY_TOKENS: each token must be at least 16 characters');
  }
  checkCredentialSources(reader, config.credentialSources, config.serviceCredentials, mode);
  const hasServiceCredentials = Object.keys(config.serviceCredentials).length > 0;
  if (hasServiceCredentials && !isLoopback(config.host) && config.gatewayTokens.length === 0 && !config.jwt) {
    reader.problem(
      `HOST=${config.host} exposes the service credentials beyond loopback: set GATEWAY_TOKENS (or JWT_JWKS_URL) so that clients must present one`,
    );
  }
  const unknown = unknownVariables(env, reader.known).map(
    ({ name, suggestion }) =>
      `${name} is not a variable of this gateway${suggestion ? `: did you mean ${suggestion}?` : ''}`,
  );
  if (unknown.length > 0 && sandboxMode.implicit) {
    for (const message of unknown) reader.problem(message);
    reader.problem(
      'the sandbox (demo data) would start in place of the upstreams these variables seem meant to configure: correct them, or set SANDBOX=true',
    );
  } else if (reader.hasProblems()) {
    // Named with the problems: a misspelt variable is often their cause.
    for (const message of unknown) reader.problem(message);
  } else {
    config.warnings = unknown;
  }
  return { config, reader };
}

/**
 * Sandbox mode only when asked for (SANDBOX=true), or by default when nothing upstream is configured and the gateway
 * listens on loopback only: demo data must never be served where others can reach it by accident.
 */
function readSandboxMode(
  reader: EnvReader,
  configuredUrls: readonly UpstreamName[],
  host: string,
): { mode: Config['mode']; implicit: boolean } {
  const asked = reader.string('SANDBOX') === undefined ? undefined : reader.bool('SANDBOX', false);
  const urlNames = UPSTREAM_NAMES.map((name) => URL_VARIABLES[name]).join(', ');
  if (configuredUrls.length > 0) {
    if (asked === true)
      reader.problem(
        `SANDBOX=true and ${configuredUrls.map((name) => URL_VARIABLES[name]).join(', ')} exclude each other: the sandbox replaces the upstreams`,
      );
    return { mode: 'upstreams', implicit: false };
  }
  if (asked === true) return { mode: 'sandbox', implicit: false };
  if (asked === false) {
    reader.problem(`SANDBOX=false and no upstream is configured: set at least one of ${urlNames}`);
    return { mode: 'upstreams', implicit: false };
  }
  if (!isLoopback(host)) {
    reader.problem(
      `no upstream is configured and HOST=${host} is beyond loopback: set at least one of ${urlNames}, or SANDBOX=true to serve the sandbox's demo data there`,
    );
    return { mode: 'upstreams', implicit: false };
  }
  return { mode: 'sandbox', implicit: true };
}

/** More workers than this only adds memory: each holds its own schema, pools and caches. */
const MAX_WORKERS = 64;

/** Largest page any upstream client asks for, and so the largest `first` of a connection. */
export const MAX_PAGE_SIZE = 100;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * The default bound of an upstream's response body. The largest page the gateway asks for (MAX_PAGE_SIZE items, with
 * includes) is a small fraction of it; a body this size still parses within the production heap with room to spare.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * One upstream's policy. Each setting is `<UPSTREAM>_<SETTING>` (e.g. `CF_FIRST_BYTE_TIMEOUT_MS`), falling back to
 * `UPSTREAM_<SETTING>`, falling back to the default.
 */
function readPolicy(reader: EnvReader, name: UpstreamName, uploadMaxBytes: number): UpstreamPolicy {
  const read = (setting: string, fallback: number, min: number, max: number) =>
    reader.int(
      `${UPSTREAM_PREFIXES[name]}_${setting}`,
      reader.int(`UPSTREAM_${setting}`, fallback, min, max),
      min,
      max,
    );
  return {
    timeouts: {
      connectMs: read('CONNECT_TIMEOUT_MS', 3_000, 1, 600_000),
      firstByteMs: read('FIRST_BYTE_TIMEOUT_MS', 10_000, 1, 600_000),
      totalMs: read('TOTAL_TIMEOUT_MS', 15_000, 1, 600_000),
    },
    connections: read('POOL_CONNECTIONS', 32, 1, 1024),
    coalesceWaiters: read('COALESCE_WAITERS', 100, 0, 10_000),
    retries: read('RETRIES', 2, 0, 10),
    retryBaseDelayMs: read('RETRY_BASE_DELAY_MS', 100, 1, 60_000),
    maxRetryAfterMs: read('MAX_RETRY_AFTER_MS', 2_000, 0, 600_000),
    callerRetryBudget: {
      percent: read('RETRY_BUDGET_PERCENT', 20, 0, 1_000),
      minPerSecond: read('RETRY_BUDGET_MIN_PER_SECOND', 10, 0, 10_000),
    },
    maxResponseBytes: read('MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 1024 * 1024 * 1024),
    maxArchiveBytes: uploadMaxBytes,
    breaker: {
      errorThresholdPercentage: read('BREAKER_ERROR_PERCENTAGE', 50, 1, 100),
      volumeThreshold: read('BREAKER_VOLUME', 20, 1, 100_000),
      windowMs: read('BREAKER_WINDOW_MS', 10_000, 100, 600_000),
      resetMs: read('BREAKER_RESET_MS', 5_000, 10, 600_000),
      maxCircuits: read('BREAKER_MAX_CIRCUITS', 1_000, 1, 100_000),
      idleMs: read('BREAKER_IDLE_MS', 600_000, 1_000, 86_400_000),
    },
  };
}

function readServiceCredentials(reader: EnvReader): ServiceCredentials {
  const credentials: ServiceCredentials = {};
  const cycleKey = reader.secret('CYCLE_API_KEY');
  const cycleHub = reader.string('CYCLE_HUB_ID');
  if (cycleKey !== undefined || cycleHub !== undefined) {
    if (cycleKey === undefined || cycleHub === undefined)
      reader.problem('CYCLE_API_KEY and CYCLE_HUB_ID go together: set both or neither');
    else if (!/^[0-9a-f]{24}$/.test(cycleHub)) reader.problem('CYCLE_HUB_ID must be a 24-character hex id');
    else credentials.cycle = { apiKey: cycleKey, hubId: cycleHub };
  }
  const cf = readCfCredentials(reader);
  if (cf) credentials.cf = cf;
  const dcUser = reader.string('DOCKER_CLOUD_USERNAME');
  const dcKey = reader.secret('DOCKER_CLOUD_API_KEY');
  if (dcUser !== undefined || dcKey !== undefined) {
    if (dcUser === undefined || dcKey === undefined)
      reader.problem('DOCKER_CLOUD_USERNAME and DOCKER_CLOUD_API_KEY go together: set both or neither');
    else credentials.dockercloud = { username: dcUser, apiKey: dcKey };
  }
  return credentials;
}

/** CF_TOKEN (fixed), or CF_CLIENT_ID and CF_CLIENT_SECRET (UAA's client_credentials grant, at CF_UAA_URL). */
function readCfCredentials(reader: EnvReader): CfServiceCredentials | undefined {
  const token = reader.secret('CF_TOKEN');
  const clientId = reader.string('CF_CLIENT_ID');
  const clientSecret = reader.secret('CF_CLIENT_SECRET');
  const uaaUrl = reader.url('CF_UAA_URL');
  if (clientId === undefined && clientSecret === undefined) {
    if (uaaUrl !== undefined) reader.problem('CF_UAA_URL is used only with CF_CLIENT_ID and CF_CLIENT_SECRET');
    return token === undefined ? undefined : { token };
  }
  if (clientId === undefined || clientSecret === undefined) {
    reader.problem('CF_CLIENT_ID and CF_CLIENT_SECRET go together: set both or neither');
    return undefined;
  }
  if (token !== undefined) {
    reader.problem('CF_TOKEN and CF_CLIENT_ID are two ways to authenticate to Cloud Foundry: set one of them');
    return undefined;
  }
  return { clientId, clientSecret, ...(uaaUrl !== undefined ? { uaaUrl } : {}) };
}

/** JWT_JWKS_URL turns JWT client authentication on; the issuer and the audience must then be named too. */
function readJwt(reader: EnvReader): JwtOptions | null {
  const jwksUrl = reader.url('JWT_JWKS_URL');
  const issuer = reader.string('JWT_ISSUER');
  const audience = reader.list('JWT_AUDIENCE');
  const clockToleranceSeconds = reader.int('JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 600);
  if (jwksUrl === undefined) {
    if (issuer !== undefined || audience.length > 0)
      reader.problem('JWT_ISSUER and JWT_AUDIENCE are used only with JWT_JWKS_URL');
    return null;
  }
  if (issuer === undefined || audience.length === 0) {
    reader.problem(
      'JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: a token is accepted only from one issuer, for one audience',
    );
    return null;
  }
  return { jwksUrl, issuer, audience, clockToleranceSeconds };
}

function readWorkers(reader: EnvReader): number {
  const raw = reader.string('WORKERS');
  if (raw === undefined) return 1;
  if (raw === 'auto') return Math.min(availableParallelism(), MAX_WORKERS);
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS) return value;
  reader.problem(`WORKERS must be "auto" or an integer from 1 to ${MAX_WORKERS}, got "${raw}"`);
  return 1;
}

function readMetricsListener(reader: EnvReader, host: string): Config['metricsListener'] {
  const metricsHost = reader.string('METRICS_HOST');
  if (reader.string('METRICS_PORT') === undefined) return null;
  return { host: metricsHost ?? host, port: reader.int('METRICS_PORT', 0, 0, 65535) };
}

/** REDIS_URL may hold a password: no message repeats it. */
function readRedis(reader: EnvReader): Config['redis'] {
  const url = reader.secret('REDIS_URL');
  const keyPrefix = reader.string('REDIS_KEY_PREFIX');
  const password = reader.secret('REDIS_PASSWORD');
  if (url === undefined) {
    if (password !== undefined) reader.problem('REDIS_PASSWORD is set without REDIS_URL: set both, or neither');
    return null;
  }
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') reader.problem('REDIS_URL must be a redis:// or rediss:// URL');
  return { url, keyPrefix: keyPrefix ?? 'imagegraph:', ...(password !== undefined ? { password } : {}) };
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Reads typed values and collects problems; messages never repeat a secret's value. */
class EnvReader {
  readonly #problems: string[] = [];
  /** Every variable name asked for: what unknownVariables compares the environment with. */
  readonly known = new Set<string>();
  constructor(readonly env: Env) {}

  hasProblems(): boolean {
    return this.#problems.length > 0;
  }

  problem(message: string): void {
    this.#problems.push(message);
  }

  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }

  string(name: string): string | undefined {
    this.known.add(name);
    const value = this.env[name];
    return nonEmpty(value) ? value.trim() : undefined;
  }

  secret(name: string): string | undefined {
    return this.string(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problem(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problem(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  /** A comma-separated list; empty entries dropped. */
  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problem(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('scheme');
      if (url.username || url.password) {
        this.problem(`${name} must not carry credentials in the URL; use the credential variables`);
        return undefined;
      }
      return url.toString().replace(/\/+$/, '');
    } catch {
      this.problem(`${name} must be an http(s) URL, got "${raw}"`);
      return undefined;
    }
  }
}

// --- Credential sources (issue 17): `<UPSTREAM>_CREDENTIALS=forwarded|service|either` ---

const CREDENTIAL_SOURCE_VARIABLES: Record<UpstreamName, string> = {
  cycle: 'CYCLE_CREDENTIALS',
  cf: 'CF_CREDENTIALS',
  dockercloud: 'DOCKER_CLOUD_CREDENTIALS',
};

const CREDENTIAL_SOURCES: readonly CredentialSource[] = ['forwarded', 'service', 'either'];

/** `either` by default: what a standalone gateway has always done (and what the sandbox's demo credentials need). */
function readCredentialSources(reader: EnvReader): Record<UpstreamName, CredentialSource> {
  return Object.fromEntries(
    UPSTREAM_NAMES.map((name) => [name, reader.oneOf(CREDENTIAL_SOURCE_VARIABLES[name], CREDENTIAL_SOURCES, 'either')]),
  ) as Record<UpstreamName, CredentialSource>;
}

function checkCredentialSources(
  reader: EnvReader,
  sources: Record<UpstreamName, CredentialSource>,
  service: ServiceCredentials,
  mode: Config['mode'],
): void {
  if (mode === 'sandbox') return;
  for (const name of UPSTREAM_NAMES) {
    if (sources[name] === 'service' && service[name] === undefined)
      reader.problem(`${CREDENTIAL_SOURCE_VARIABLES[name]}=service needs the service credentials of that upstream`);
  }
}

// --- Router-sized fetches (issue 17): `MAX_ENTITY_REPRESENTATIONS` ---

/** Most representations in one `_entities` fetch; a router's batch up to it is costed by its upstream calls. */
function readMaxEntityRepresentations(reader: EnvReader): number {
  return reader.int('MAX_ENTITY_REPRESENTATIONS', 10_000, 1, 1_000_000);
}
