/**
 * `createServer(config)`: the whole gateway, built from a Config and nothing else (no environment, no listening until
 * asked). main.ts and the tests both use it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
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
import { createClientAuthenticator, type ClientAuthVerdict } from './http/clientAuth.js';
import { createCorsHandler } from './http/cors.js';
import { createGatewayTokenCheck } from './http/gatewayAuth.js';
import { createJwtVerifier } from './http/jwtAuth.js';
import { createMetricsListener, type MetricsSource } from './http/metrics.js';
import { httpUrl } from './http/url.js';
import { httpRequestLogger, loggedUpgrades } from './http/requestLog.js';
import { sendError } from './http/respond.js';
import { clientConfig } from './clientConfig.js';
import { createRequestListener } from './http/routes.js';
import { GatewayMetrics } from './observability/metrics.js';
import { operationTracingPlugin } from './plugins/operationTracing.js';
import { APQ_DISABLED_CACHE, persistedQueriesPlugin } from './plugins/persistedQueries.js';
import { limitValidationRules, queryCostPlugin } from './plugins/requestLimits.js';
import { requestLoggingPlugin, upstreamRequestLogger } from './plugins/requestLogging.js';
import { requestMetricsPlugin } from './plugins/requestMetrics.js';
import { routerCredentialWarningPlugin } from './plugins/routerCredentialWarning.js';
import { secretScrubbingPlugin } from './plugins/secretScrubbing.js';
import { subscriptionsOverHttpPlugin } from './plugins/subscriptionsOverHttp.js';
import { upstreamTracePlugin } from './plugins/upstreamTrace.js';
import { connectRedis } from './redis.js';
import { buildSchema } from './schema.js';
import { createSubscriptionServer } from './subscriptions/index.js';
import { closeUpstreamPools, createRenewingCredentials, createUpstreamPools } from './upstreams/index.js';
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
  const pools = createUpstreamPools(config, metrics);
  const redis = config.redis ? connectRedis({ ...config.redis, logger }) : null;
  const httpServer = createHttpServer();
  const metricsSource = options.metricsSource?.(metrics) ?? metrics;
  const metricsServer = config.metricsListener
    ? createHttpServer(createMetricsListener(metricsSource, onUnexpectedOutsideGraphQL))
    : null;
  let closing: Promise<void> | null = null;
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
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
    secretScrubbingPlugin(),
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
    clientCheck: clientAuth && (async (req) => webSocketClientAllowed(await clientAuth(req), req.headers, logger)),
  });
  httpServer.on('upgrade', loggedUpgrades(logger, subscriptions.handleUpgrade));
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.development,
    formatError,
    validationRules: limitValidationRules(config.limits),
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
  httpServer.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  httpServer.on(
    'request',
    createRequestListener({
      apollo,
      graphiql: config.graphiql,
      clientAuth,
      sse: subscriptions.handleSse,
      cors: createCorsHandler(config.corsOrigins),
      createContext: (req) => createContext(config, pools, req.headers, contextServices),
      maxBodyBytes: config.limits.maxBodyBytes,
      maxBatchOperations: config.limits.maxBatchOperations,
      maxUploadBytes: config.uploadMaxBytes,
      notReady: async () => {
        const notReady: string[] = [];
        if (closing) notReady.push('shutting down');
        if (redis && !(await redis.isReady())) notReady.push('redis');
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
        // Subscribers get their `complete` first: their streams would otherwise hold the drain below to its end.
        await subscriptions.close(config.shutdownGraceMs);
        // The drain plugin stops accepting, waits for in-flight requests up to the grace period, then cuts them off.
        // This timer, set first with the same delay, runs just before that cut: what is unanswered is answered then.
        const graceEnd = setTimeout(() => answerCutOff(inFlight), config.shutdownGraceMs);
        await apollo.stop();
        clearTimeout(graceEnd);
        const left = Math.max(0, deadline - performance.now());
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
 * The verdict on a WebSocket's client credential (its upgrade headers and `connection_init` payload); a refusal (the
 * connection is then closed with 4403) leaves its request line, as an HTTP refusal does.
 */
function webSocketClientAllowed(
  verdict: ClientAuthVerdict,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  logger: Logger,
): boolean {
  if (verdict.ok) return true;
  logger.info(
    {
      requestId: String(headers['x-request-id'] ?? ''),
      transport: 'websocket',
      closeCode: 4403,
      code: verdict.status === 503 ? 'SERVICE_UNAVAILABLE' : 'UNAUTHENTICATED',
      reason: verdict.message,
    },
    'websocket connection refused',
  );
  return false;
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
