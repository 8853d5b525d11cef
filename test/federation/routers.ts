/**
 * The routers the supergraph tests run through, each on a loopback port: Hive Gateway (in-process, the maintained
 * open-source router) with its JS query planner and with its Rust one (@graphql-hive/router-runtime), and
 * @apollo/gateway. Each forwards imagegraph's credential headers and its gateway token exactly as docs/federation.md
 * configures them, and nothing else: Hive Gateway with docs/examples/hiveGateway.ts.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import {
  imagegraphBuildService,
  imagegraphCallerContext,
  type ImagegraphCallerContext,
} from '../../docs/examples/apolloGateway.js';
import { imagegraphGatewayOptions } from '../../docs/examples/hiveGateway.js';
import { startGrafbaseGateway } from './grafbase.js';

/** The gateway token routers send imagegraph in these tests (one of its GATEWAY_TOKENS when it has any). */
export const ROUTER_GATEWAY_TOKEN = 'router-gateway-token-of-the-tests';

export interface Router {
  name: 'hive-gateway' | 'hive-gateway-rust' | 'apollo-gateway' | 'grafbase-gateway';
  url: string;
  close(): Promise<void>;
}

export interface SubgraphSource {
  name: string;
  sdl: string;
  url: string;
}

/** The supergraph of the given subgraphs, or an error listing what failed to compose. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const composed = composeServices(subgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: s.url })));
  if (composed.errors) throw new Error(`composition failed:\n${composed.errors.map((e) => e.message).join('\n')}`);
  return composed.supergraphSdl;
}

/**
 * The part of Hive Gateway's API these tests use. Its own declarations reference the DOM library (through
 * @whatwg-node/fetch), which would retype Node's globals for the whole project; loading it by a computed specifier
 * keeps them out of the type check.
 */
interface HiveGatewayModule {
  createGatewayRuntime(
    config: { supergraph: string; logging: false } & ReturnType<typeof imagegraphGatewayOptions> &
      Record<string, unknown>,
  ): RequestListener & { dispose(): Promise<void> };
}
const HIVE_GATEWAY = '@graphql-hive/gateway';
const HIVE_ROUTER_RUNTIME = '@graphql-hive/router-runtime';

/**
 * Hive Gateway with the JS query planner, or with the Rust one (`@graphql-hive/router-runtime`). `gatewayToken` is
 * the one the documented options are given (a router deployed without it gets `''`).
 */
export async function startHiveGateway(
  supergraphSdl: string,
  planner: 'js' | 'rust' = 'js',
  gatewayToken = ROUTER_GATEWAY_TOKEN,
): Promise<Router> {
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;
  const rust =
    planner === 'rust'
      ? { unifiedGraphHandler: ((await import(HIVE_ROUTER_RUNTIME)) as Record<string, unknown>).unifiedGraphHandler }
      : {};
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    ...imagegraphGatewayOptions(gatewayToken),
    ...rust,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: planner === 'rust' ? 'hive-gateway-rust' : 'hive-gateway',
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
}

const quietLogger = { debug() {}, info() {}, warn: console.warn, error: console.error };

/** @apollo/gateway configured with docs/examples/apolloGateway.ts. */
export async function startApolloGateway(supergraphSdl: string): Promise<Router> {
  const server = new ApolloServer<ImagegraphCallerContext>({
    gateway: new ApolloGateway({
      supergraphSdl,
      logger: quietLogger,
      buildService: imagegraphBuildService(ROUTER_GATEWAY_TOKEN),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: imagegraphCallerContext,
  });
  return { name: 'apollo-gateway', url, close: () => server.stop() };
}

/** Each router, started from the supergraph (Hive Gateway, @apollo/gateway) or from its subgraphs (Grafbase). */
export const ROUTERS = {
  'hive-gateway': (supergraphSdl: string) => startHiveGateway(supergraphSdl, 'js'),
  'hive-gateway-rust': (supergraphSdl: string) => startHiveGateway(supergraphSdl, 'rust'),
  'apollo-gateway': (supergraphSdl: string) => startApolloGateway(supergraphSdl),
  'grafbase-gateway': (_supergraphSdl: string, subgraphs: SubgraphSource[]) => startGrafbaseGateway(subgraphs),
} as const;
