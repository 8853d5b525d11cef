import type { JwtOptions } from '../http/jwtAuth.js';
import type { InputShapeLimits } from '../inputShape.js';
import type { RequestLimits } from '../plugins/requestLimits.js';
import { unknownVariables } from '../unknownVariables.js';
import { configReference, type GeneratedBlock } from './docs.js';
import { authSettings, checkGatewayTokens, CORS_ORIGINS, GATEWAY_TOKENS, readJwt } from './auth.js';
import {
  checkCredentialSources,
  credentialSettings,
  readCredentialSources,
  readServiceCredentials,
  ROUTER_SERVICE_CREDENTIALS,
  type CredentialSource,
  type ServiceCredentials,
} from './credentials.js';
import * as limits from './limits.js';
import { policySettings, readPolicy, type UpstreamEndpoint, type UpstreamPolicy } from './policy.js';
import { SettingsReader, type Env } from './reader.js';
import {
  readRedis,
  redisSettings,
  PERSISTED_QUERIES,
  PERSISTED_QUERIES_TTL_SECONDS,
  type RedisConfig,
} from './redis.js';
import { readSandboxMode, SANDBOX_JOB_DURATION_MS, sandboxSettings } from './sandbox.js';
import {
  GRAPHIQL,
  HOST,
  INTROSPECTION,
  LOG_LEVEL,
  NODE_ENV,
  PORT,
  READINESS_PROBES_UPSTREAMS,
  readMetricsListener,
  serverSettings,
  SHUTDOWN_GRACE_MS,
  WORKERS,
} from './server.js';
import type { AnySetting } from './setting.js';
import { readSubscriptions, subscriptionSettings, type SubscriptionConfig } from './subscriptions.js';
import { readTracingConfig, tracingSettings, type TracingConfig } from './tracing.js';
import { UPLOAD_MAX_BYTES, UPLOAD_MAX_CONCURRENT, UPLOAD_MAX_FILE_BYTES, uploadSettings } from './uploads.js';
import {
  CF_LEGACY_APP_PACKAGES_ROUTE,
  CYCLE_FACTORY_URL,
  isLoopback,
  JOB_AWAIT_MAX_MS,
  MAX_PAGE_SIZE,
  REQUEST_TIMEOUT_MS,
  RETRY_BUDGET_PER_REQUEST,
  UPSTREAM_NAMES,
  UPSTREAM_TRACE,
  UPSTREAM_URLS,
  upstreamSettings,
  type UpstreamName,
} from './upstreams.js';

/**
 * Configuration: `parseConfig(env)` turns environment variables into a typed, validated `Config`, reporting every
 * problem at once. Only `main.ts` passes `process.env`; everything else receives a `Config`. Every variable is declared
 * once, in the module of its topic (this folder); the README's reference tables are generated from the declarations.
 */

export { ConfigError } from './reader.js';
export type { CfServiceCredentials, CredentialSource, ServiceCredentials } from './credentials.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  upstreamVariable,
  type UpstreamEndpoint,
  type UpstreamPolicy,
  type UpstreamTimeouts,
} from './policy.js';
export type { SubscriptionConfig } from './subscriptions.js';
export {
  DEFAULT_CYCLE_FACTORY_URL,
  isLoopback,
  MAX_PAGE_SIZE,
  UPSTREAM_LABELS,
  UPSTREAM_NAMES,
  type UpstreamName,
} from './upstreams.js';

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
  redis: RedisConfig;
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

/** The settings of each topic, in the README's order. */
export const SETTINGS_BY_TOPIC: readonly (readonly AnySetting[])[] = [
  serverSettings,
  sandboxSettings,
  upstreamSettings,
  credentialSettings,
  authSettings,
  limits.limitSettings,
  uploadSettings,
  subscriptionSettings,
  redisSettings,
  tracingSettings,
];

/** Every variable the gateway reads. */
export const SETTINGS: readonly AnySetting[] = [...SETTINGS_BY_TOPIC.flat(), ...policySettings];

/** The README's generated configuration reference (docs.ts). */
export function configReferenceBlocks(): GeneratedBlock[] {
  return configReference({
    topics: SETTINGS_BY_TOPIC,
    policyAfter: upstreamSettings,
  });
}

/** The name of every variable the gateway reads, sorted. */
export function configVariables(): string[] {
  return SETTINGS.map((setting) => setting.name).sort();
}

const KNOWN_NAMES: ReadonlySet<string> = new Set(SETTINGS.map((setting) => setting.name));

export function parseConfig(env: Env): Config {
  const reader = new SettingsReader(env, KNOWN_NAMES);
  const config = readConfig(reader);
  reader.throwIfProblems();
  return config;
}

function readConfig(reader: SettingsReader): Config {
  const development = reader.get(NODE_ENV) === 'development';
  const configuredUrls = UPSTREAM_NAMES.filter((name) => reader.isSet(UPSTREAM_URLS[name]));
  const host = reader.get(HOST);
  const sandboxMode = readSandboxMode(reader, configuredUrls, host);
  const mode = sandboxMode.mode;

  const uploadMaxBytes = reader.get(UPLOAD_MAX_BYTES);
  const upstreamPolicies = Object.fromEntries(
    UPSTREAM_NAMES.map((name) => [name, readPolicy(reader, name, uploadMaxBytes)]),
  ) as Record<UpstreamName, UpstreamPolicy>;
  const upstreams: Config['upstreams'] = {};
  for (const name of configuredUrls) {
    const url = reader.get(UPSTREAM_URLS[name]);
    if (url !== undefined) upstreams[name] = { url, ...upstreamPolicies[name] };
  }
  const introspection = reader.get(INTROSPECTION, development || mode === 'sandbox');

  const config: Config = {
    mode,
    warnings: [],
    development,
    host,
    port: reader.get(PORT),
    upstreams,
    upstreamPolicies,
    retryBudgetPerRequest: reader.get(RETRY_BUDGET_PER_REQUEST),
    requestTimeoutMs: reader.get(REQUEST_TIMEOUT_MS),
    serviceCredentials: readServiceCredentials(reader),
    credentialSources: readCredentialSources(reader),
    // The sandbox's service credentials are its public demo tenant's: meant for everyone.
    routerServiceCredentials: reader.get(ROUTER_SERVICE_CREDENTIALS, mode === 'sandbox' ? 'allowed' : 'refused'),
    upstreamTrace: reader.get(UPSTREAM_TRACE, mode === 'sandbox'),
    introspection,
    graphiql: reader.get(GRAPHIQL, introspection),
    jobAwaitMaxMs: reader.get(JOB_AWAIT_MAX_MS),
    cfLegacyAppPackagesRoute: reader.get(CF_LEGACY_APP_PACKAGES_ROUTE),
    uploadMaxBytes,
    uploadMaxFileBytes: reader.get(UPLOAD_MAX_FILE_BYTES),
    uploadMaxConcurrent: reader.get(UPLOAD_MAX_CONCURRENT),
    cycleFactoryUrl: reader.get(CYCLE_FACTORY_URL),
    limits: {
      maxDepth: reader.get(limits.MAX_QUERY_DEPTH),
      maxAliases: reader.get(limits.MAX_ALIASES),
      maxDirectives: reader.get(limits.MAX_DIRECTIVES),
      maxTokens: reader.get(limits.MAX_TOKENS),
      maxCost: reader.get(limits.MAX_QUERY_COST),
      maxPageSize: MAX_PAGE_SIZE,
      maxEntityRepresentations: reader.get(limits.MAX_ENTITY_REPRESENTATIONS),
      maxBodyBytes: reader.get(limits.MAX_BODY_BYTES),
      maxBatchOperations: reader.get(limits.MAX_BATCH_OPERATIONS),
      variables: {
        maxDepth: reader.get(limits.MAX_VARIABLES_DEPTH),
        maxNodes: reader.get(limits.MAX_VARIABLES_NODES),
      },
    },
    gatewayTokens: reader.get(GATEWAY_TOKENS),
    jwt: readJwt(reader),
    corsOrigins: reader.get(CORS_ORIGINS),
    logLevel: reader.get(LOG_LEVEL),
    shutdownGraceMs: reader.get(SHUTDOWN_GRACE_MS),
    readinessProbesUpstreams: reader.get(READINESS_PROBES_UPSTREAMS),
    metricsListener: readMetricsListener(reader, host),
    redis: readRedis(reader),
    persistedQueries: {
      enabled: reader.get(PERSISTED_QUERIES),
      ttlSeconds: reader.get(PERSISTED_QUERIES_TTL_SECONDS),
    },
    tracing: readTracingConfig(reader),
    workers: reader.get(WORKERS),
    subscriptions: readSubscriptions(reader),
    sandboxJobDurationMs: reader.get(SANDBOX_JOB_DURATION_MS),
  };
  checkGatewayTokens(reader, config.gatewayTokens);
  checkCredentialSources(reader, config.credentialSources, config.serviceCredentials, mode);
  const hasServiceCredentials = Object.keys(config.serviceCredentials).length > 0;
  if (hasServiceCredentials && !isLoopback(config.host) && config.gatewayTokens.length === 0 && !config.jwt) {
    reader.problem(
      `HOST=${config.host} exposes the service credentials beyond loopback: set GATEWAY_TOKENS (or JWT_JWKS_URL) so that clients must present one`,
    );
  }
  const unknown = unknownVariables(reader.env, reader.declared).map(
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
  return config;
}
