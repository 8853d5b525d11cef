/**
 * `createServer(config)`: the whole gateway, built from a Config and nothing else (no environment, no listening until
 * asked). main.ts and the tests both use it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Tracer } from '@opentelemetry/api';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logging.js';
import { createContext, type Context, type ContextServices } from './context.js';
import { createFormatError } from './formatError.js';
import { createClientAuthenticator, type ClientAuthenticator } from './http/clientAuth.js';
import { createCorsHandler } from './http/cors.js';
import { createGatewayTokenCheck } from './http/gatewayAuth.js';
import { createJwtVerifier } from './http/jwtAuth.js';
import { createMetricsListener, type MetricsSource } from './http/metrics.js';
import { UploadSlots } from './http/multipart.js';
import { createUploadPreflight } from './http/uploadPreflight.js';
import { httpUrl } from './http/url.js';
import { httpRequestLogger, loggedUpgrades } from './http/requestLog.js';
import { sendError } from './http/respond.js';
import { clientConfig } from './clientConfig.js';
import { createRequestListener } from './http/routes.js';
import { GatewayMetrics } from './observability/metrics.js';
import { operationTracingPlugin } from './plugins/operationTracing.js';
import { APQ_DISABLED_CACHE, persistedQueriesPlugin } from './plugins/persistedQueries.js';
import { validationRules } from './pipeline/operation.js';
import { queryCostPlugin } from './plugins/requestLimits.js';
import { requestLoggingPlugin, upstreamRequestLogger } from './plugins/requestLogging.js';
import { requestMetricsPlugin } from './plugins/requestMetrics.js';
import { routerCredentialWarningPlugin } from './plugins/routerCredentialWarning.js';
import { secretScrubbingPlugin } from './plugins/secretScrubbing.js';
import { subscriptionsOverHttpPlugin } from './plugins/subscriptionsOverHttp.js';
import { upstreamTracePlugin } from './plugins/upstreamTrace.js';
import { connectRedis } from './redis.js';
import { buildSchema } from './schema.js';
import { createSubscriptionServer, isSseRequest } from './subscriptions/index.js';
import type { ReportRefusal } from './subscriptions/refusals.js';
import { closeUpstreamPools, createRenewingCredentials, createUpstreamPools } from './upstreams/index.js';
import { CredentialDigester } from './upstreams/shared/credentialDigest.js';
import { shareCircuits } from './upstreams/shared/sharedCircuits.js';
import { probeUpstreams, type UpstreamStatus } from './upstreams/probe.js';

/** Bound on one probe of the upstreams; within the usual readiness probe timeouts. */
const PROBE_TIMEOUT_MS = 2_000;
/** How long `/readyz` reuses a probe of the upstreams, so that frequent readiness checks do not load them. */
const PROBE_REUSE_MS = 5_000;

export interface GatewayOptions {
  /** Structured logger. @default a pino logger on stdout at `config.logLevel` */
  logger?: Logger;
  /** Also told of every unexpected error (bug), after it is logged; tests use it to fail on any. */
  onUnexpected?: (error: unknown) => void;
  /** OpenTelemetry tracer (main.ts builds one from `OTEL_*`: tracing/setup.ts). @default none: no spans */
  tracer?: Tracer;
  /**
   * What `/metrics` renders, given this instance's metrics. @default this instance's registry (a cluster worker
   * renders the whole cluster's instead: cluster/worker.ts)
   */
  metricsSource?: (metrics: GatewayMetrics) => MetricsSource;
}

export interface Gateway {
  readonly httpServer: Server;
  /** The separate metrics listener (METRICS_PORT), or null when `/metrics` is served by `httpServer`. */
  readonly metricsServer: Server | null;
  readonly apollo: ApolloServer<Context>;
  /** This instance's metrics (its own prom-client registry). */
  readonly metrics: GatewayMetrics;
  /** One cheap authenticated read per upstream: configured, credentialed, reachable (main.ts logs it at start-up). */
  probeUpstreams(): Promise<UpstreamStatus[]>;
  /** Starts Apollo and listens; resolves with the base URL (e.g. `http://127.0.0.1:4000`). */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests finish for at most
   * `config.shutdownGraceMs` (then closes their connections), and closes the upstream pools, Redis and the metrics
   * listener. Idempotent.
   */
  close(): Promise<void>;
}

export function createServer(config: Config, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // Errors inside a GraphQL request are logged by requestLoggingPlugin (which can scrub them); these are the others.
  const onUnexpectedOutsideGraphQL = (error: unknown) => {
    logger.error({ err: error }, 'unexpected error outside a GraphQL request');
    options.onUnexpected?.(error);
  };
  const metrics = new GatewayMetrics();
  const digester = new CredentialDigester();
  const pools = createUpstreamPools(config, metrics, digester);
  const redis = config.redis ? connectRedis({ ...config.redis, logger }) : null;
  const sharedCircuits = redis ? shareCircuits(pools, digester, redis, logger) : null;
  const httpServer = createHttpServer();
  const metricsSource = options.metricsSource?.(metrics) ?? metrics;
  const metricsServer = config.metricsListener
    ? createHttpServer(createMetricsListener(metricsSource, onUnexpectedOutsideGraphQL))
    : null;
  let closing: Promise<void> | null = null;
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginLandingPageDisabled(),
    // No resolver sets cache hints and no response cache reads them: don't pay a hook on every resolved field.
    ApolloServerPluginCacheControlDisabled(),
    // Federated tracing (ftv1): costs nothing unless a router asks for it with `apollo-federation-include-trace`.
    ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
  ];
  const schema = buildSchema();
  const renewingCredentials = createRenewingCredentials(config);
  const probe = () => probeUpstreams(config, pools, renewingCredentials, PROBE_TIMEOUT_MS);
  let lastProbe: { at: number; statuses: Promise<UpstreamStatus[]> } | undefined;
  const recentProbe = () => {
    if (!lastProbe || performance.now() - lastProbe.at > PROBE_REUSE_MS)
      lastProbe = { at: performance.now(), statuses: probe() };
    return lastProbe.statuses;
  };
  const contextServices: ContextServices = {
    observeBatch: metrics.observeBatch,
    renewingCredentials,
    ...(options.tracer ? { tracer: options.tracer } : {}),
    ...(logger.isLevelEnabled('debug') ? { onUpstreamRequest: upstreamRequestLogger(logger) } : {}),
  };
  // Order matters for willSendResponse: errors are scrubbed before the request line is logged.
  plugins.push(
    subscriptionsOverHttpPlugin(),
    queryCostPlugin(schema, config.limits),
    secretScrubbingPlugin(schema),
    requestLoggingPlugin(logger),
    requestMetricsPlugin(metrics),
    routerCredentialWarningPlugin(config, logger),
  );
  if (config.upstreamTrace) plugins.push(upstreamTracePlugin());
  if (options.tracer) plugins.push(operationTracingPlugin());
  if (config.persistedQueries.enabled) {
    const store = redis?.cache ?? new InMemoryLRUCache<string>();
    plugins.push(
      persistedQueriesPlugin({
        store,
        ttlSeconds: config.persistedQueries.ttlSeconds,
        logger,
        onResult: (result) => metrics.persistedQuery(result),
      }),
    );
  }
  const formatError = createFormatError({
    development: config.development,
    hideSuggestions: !config.introspection,
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
  });
  const clientAuth = createClientAuthenticator(
    createGatewayTokenCheck(config.gatewayTokens),
    config.jwt && createJwtVerifier(config.jwt),
  );
  const subscriptions = createSubscriptionServer({
    config,
    schema,
    pools,
    services: contextServices,
    formatError,
    logger,
    metrics,
    clientCheck: clientAuth && (async (req) => (await clientAuth(req)).ok),
  });
  httpServer.on('upgrade', loggedUpgrades(logger, subscriptions.handleUpgrade));
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.development,
    formatError,
    validationRules: validationRules(config),
    parseOptions: { maxTokens: config.limits.maxTokens },
    allowBatchedHttpRequests: config.limits.maxBatchOperations > 1,
    csrfPrevention: true,
    // Persisted queries are stored per caller by persistedQueriesPlugin; Apollo's server-wide APQ cache stays empty.
    persistedQueries: config.persistedQueries.enabled ? { cache: APQ_DISABLED_CACHE } : false,
    stopOnTerminationSignals: false,
    plugins,
  });

  // Requests being answered: those still unanswered when the shutdown grace ends get a 503 GraphQL error body.
  const inFlight = new Set<ServerResponse>();
  const connections = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  httpServer.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    // Once shutting down, each answer closes its connection: the client opens its next request elsewhere.
    if (closing) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  httpServer.on(
    'request',
    createRequestListener({
      apollo,
      graphiql: config.graphiql,
      // An SSE request refused by the client check is a refused subscription too: logged and counted as one.
      clientAuth: clientAuth && withSseRefusals(clientAuth, subscriptions.reportRefusal),
      sse: subscriptions.handleSse,
      cors: createCorsHandler(config.corsOrigins),
      createContext: (req) => createContext(config, pools, req.headers, contextServices),
      maxBodyBytes: config.limits.maxBodyBytes,
      maxBatchOperations: config.limits.maxBatchOperations,
      variablesLimits: config.limits.variables,
      uploads: {
        maxBytes: config.uploadMaxBytes,
        maxFileBytes: config.uploadMaxFileBytes,
        slots: new UploadSlots(config.uploadMaxConcurrent),
        preflight: createUploadPreflight(schema, config.limits),
      },
      notReady: async () => {
        const notReady: string[] = [];
        if (closing) notReady.push('shutting down');
        if (redis && !(await redis.isReady())) notReady.push('redis');
        else if (sharedCircuits && !sharedCircuits.sharing) notReady.push('shared circuit state');
        if (config.readinessProbesUpstreams)
          for (const status of await recentProbe())
            if (status.reachable === false) notReady.push(`${status.upstream}: ${status.detail}`);
        return notReady;
      },
      metrics: metricsServer ? null : metricsSource,
      clientConfig: config.introspection ? clientConfig(schema) : null,
      onUnexpected: onUnexpectedOutsideGraphQL,
      logRequest: httpRequestLogger(logger),
    }),
  );

  return {
    httpServer,
    metricsServer,
    apollo,
    metrics,
    probeUpstreams: probe,
    async listen(port = config.port, host = config.host) {
      await apollo.start();
      await listenOn(httpServer, port, host);
      if (metricsServer && config.metricsListener)
        await listenOn(metricsServer, config.metricsListener.port, config.metricsListener.host);
      return baseUrl(httpServer);
    },
    close() {
      closing ??= (async () => {
        const deadline = performance.now() + config.shutdownGraceMs;
        const listenerClosed = stopListening(httpServer);
        // Subscribers get their last event first: their streams would otherwise hold the drain below to its end.
        await subscriptions.close(config.shutdownGraceMs);
        await drainConnections(httpServer, connections, inFlight, deadline);
        await listenerClosed;
        await apollo.stop();
        const left = Math.max(0, deadline - performance.now());
        sharedCircuits?.stop();
        await Promise.all([
          closeUpstreamPools(pools, left),
          redis?.close(left),
          metricsServer && closeNow(metricsServer),
        ]);
      })();
      return closing;
    },
  };
}

/**
 * Stops accepting connections, keeping the open ones. net.Server's close, not http.Server's: Node's http close also
 * closes idle keep-alive connections at once, and a request a client is sending on one of them at that moment would
 * be reset instead of answered.
 */
function stopListening(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => NetServer.prototype.close.call(server, () => resolve()));
}

const DRAIN_CHECK_MS = 20;

/**
 * The HTTP drain: in-flight requests finish, and each request arriving on an open keep-alive connection is answered
 * (with `connection: close`, the request listener adds it) rather than reset. Idle keep-alive connections are closed
 * once the server's keep-alive timeout has passed (clients that honour its `Keep-Alive: timeout` hint no longer
 * reuse them), or at `deadline`. At `deadline` what is still unanswered gets a 503 SHUTTING_DOWN body and every
 * connection closes.
 */
async function drainConnections(
  server: Server,
  connections: ReadonlySet<Socket>,
  inFlight: ReadonlySet<ServerResponse>,
  deadline: number,
): Promise<void> {
  const idleUntil = performance.now() + server.keepAliveTimeout;
  while (connections.size > 0 && performance.now() < deadline) {
    if (performance.now() >= idleUntil) server.closeIdleConnections();
    await sleep(Math.min(DRAIN_CHECK_MS, Math.max(1, deadline - performance.now())));
  }
  if (connections.size > 0) {
    answerCutOff(inFlight);
    // The 503 bodies carry `connection: close`: let them be written before the connections are cut.
    await sleep(DRAIN_CHECK_MS);
    server.closeAllConnections();
  }
  // Clears http.Server's own timers (the listener is closed already).
  server.close(() => {});
}

function withSseRefusals(clientAuth: ClientAuthenticator, reportRefusal: ReportRefusal): ClientAuthenticator {
  return async (req) => {
    const verdict = await clientAuth(req);
    const request = req as IncomingMessage;
    if (!verdict.ok && (request.url ?? '').split('?')[0] === '/graphql' && isSseRequest(request))
      reportRefusal('sse', 'unauthenticated', String(request.headers['x-request-id'] ?? ''), verdict.message);
    return verdict;
  };
}

/** At the end of the shutdown grace: a GraphQL error body for each request not answered yet, not an empty reply. */
function answerCutOff(inFlight: ReadonlySet<ServerResponse>): void {
  for (const res of inFlight) {
    if (res.headersSent) continue;
    sendError(
      res,
      503,
      'SHUTTING_DOWN',
      'The gateway is shutting down and this request did not finish within the shutdown grace (SHUTDOWN_GRACE_MS): send it again',
      { connection: 'close', 'retry-after': '1' },
    );
  }
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes a server and every connection it has, without waiting for them (the metrics listener: nothing to drain). */
function closeNow(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** `http://host:port` of a listening server. */
export function baseUrl(server: Server): string {
  const address = server.address() as AddressInfo;
  return httpUrl(address.address, address.port);
}
