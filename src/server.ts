/**
 * `createServer(config)`: the whole gateway, built from a Config and nothing else (no environment, no listening until
 * asked). main.ts and the tests both use it.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logging.js';
import { createContext, type Context } from './context.js';
import { createFormatError } from './formatError.js';
import { createCorsHandler } from './http/cors.js';
import { createGatewayTokenCheck } from './http/gatewayAuth.js';
import { createRequestListener } from './http/routes.js';
import { limitValidationRules, queryCostPlugin } from './plugins/requestLimits.js';
import { requestLoggingPlugin } from './plugins/requestLogging.js';
import { secretScrubbingPlugin } from './plugins/secretScrubbing.js';
import { upstreamTracePlugin } from './plugins/upstreamTrace.js';
import { buildSchema } from './schema.js';
import { closeUpstreamPools, createUpstreamPools } from './upstreams/index.js';

export interface GatewayOptions {
  /** Structured logger. @default a pino logger on stdout at `config.logLevel` */
  logger?: Logger;
  /** Also told of every unexpected error (bug), after it is logged; tests use it to fail on any. */
  onUnexpected?: (error: unknown) => void;
}

export interface Gateway {
  readonly httpServer: Server;
  readonly apollo: ApolloServer<Context>;
  /** Starts Apollo and listens; resolves with the base URL (e.g. `http://127.0.0.1:4000`). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, closes the upstream pools. */
  close(): Promise<void>;
}

export function createServer(config: Config, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // Errors inside a GraphQL request are logged by requestLoggingPlugin (which can scrub them); these are the others.
  const onUnexpectedOutsideGraphQL = (error: unknown) => {
    logger.error({ err: error }, 'unexpected error outside a GraphQL request');
    options.onUnexpected?.(error);
  };
  const pools = createUpstreamPools(config);
  const httpServer = createHttpServer();
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    ApolloServerPluginLandingPageDisabled(),
    // Federated tracing (ftv1): costs nothing unless a router asks for it with `apollo-federation-include-trace`.
    ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
  ];
  const schema = buildSchema();
  // Order matters for willSendResponse: errors are scrubbed before the request line is logged.
  plugins.push(queryCostPlugin(schema, config.limits), secretScrubbingPlugin(), requestLoggingPlugin(logger));
  if (config.upstreamTrace) plugins.push(upstreamTracePlugin());
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.development,
    formatError: createFormatError({ development: config.development, hideSuggestions: !config.introspection, ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}) }),
    validationRules: limitValidationRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    allowBatchedHttpRequests: config.limits.maxBatchOperations > 1,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins,
  });

  httpServer.on(
    'request',
    createRequestListener({
      apollo,
      graphiql: config.graphiql,
      gatewayTokenCheck: createGatewayTokenCheck(config.gatewayTokens),
      cors: createCorsHandler(config.corsOrigins),
      createContext: (req) => createContext(config, pools, req.headers),
      maxBodyBytes: config.limits.maxBodyBytes,
      maxBatchOperations: config.limits.maxBatchOperations,
      maxUploadBytes: config.uploadMaxBytes,
      notReady: async () => [],
      onUnexpected: onUnexpectedOutsideGraphQL,
    }),
  );

  return {
    httpServer,
    apollo,
    async listen(port = config.port, host = config.host) {
      await apollo.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
    async close() {
      await apollo.stop();
      await closeUpstreamPools(pools);
    },
  };
}
