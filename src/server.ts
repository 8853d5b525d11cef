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
import { createContext, type Context } from './context.js';
import { createFormatError } from './formatError.js';
import { createRequestListener } from './http/routes.js';
import { upstreamTracePlugin } from './plugins/upstreamTrace.js';
import { buildSchema } from './schema.js';
import { closeUpstreamPools, createUpstreamPools } from './upstreams/index.js';

export interface GatewayOptions {
  /** Where unexpected errors (bugs) are reported with their stack. @default console.error */
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

/** Largest JSON request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createServer(config: Config, options: GatewayOptions = {}): Gateway {
  const onUnexpected = options.onUnexpected ?? ((error: unknown) => console.error('imagegraph: unexpected error', error));
  const pools = createUpstreamPools(config);
  const httpServer = createHttpServer();
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    ApolloServerPluginLandingPageDisabled(),
    // Federated tracing (ftv1): costs nothing unless a router asks for it with `apollo-federation-include-trace`.
    ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
  ];
  if (config.upstreamTrace) plugins.push(upstreamTracePlugin());
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.development,
    formatError: createFormatError({ development: config.development, onUnexpected }),
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins,
  });

  httpServer.on(
    'request',
    createRequestListener({
      apollo,
      graphiql: config.graphiql,
      createContext: (req) => createContext(config, pools, req.headers),
      maxBodyBytes: MAX_BODY_BYTES,
      notReady: async () => [],
      onUnexpected,
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
