/**
 * The two routers the supergraph tests run through, each on a loopback port: Hive Gateway (in-process, the
 * maintained open-source router) and @apollo/gateway. Both forward imagegraph's credential headers exactly as
 * docs/federation.md configures them, and nothing else: Hive Gateway with docs/examples/hivePropagateHeaders.ts.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteGraphQLDataSource, ApolloGateway } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { propagateHeaders } from '../../docs/examples/hivePropagateHeaders.js';
import { FORWARDED_CREDENTIAL_HEADERS } from '../../src/credentials.js';

export interface Router {
  name: 'hive-gateway' | 'apollo-gateway';
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

const CREDENTIAL_HEADERS = Object.values(FORWARDED_CREDENTIAL_HEADERS);

/** The credential headers of a client request, to forward as they came. */
function credentialHeaders(get: (name: string) => string | null | undefined): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of CREDENTIAL_HEADERS) {
    const value = get(name);
    if (value) forwarded[name] = value;
  }
  return forwarded;
}

/**
 * The part of Hive Gateway's API these tests use. Its own declarations reference the DOM library (through
 * @whatwg-node/fetch), which would retype Node's globals for the whole project; loading it by a computed specifier
 * keeps them out of the type check.
 */
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: 'error';
    propagateHeaders: typeof propagateHeaders;
  }): RequestListener & { dispose(): Promise<void> };
}
const HIVE_GATEWAY = '@graphql-hive/gateway';

export async function startHiveGateway(supergraphSdl: string): Promise<Router> {
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: 'error',
    propagateHeaders,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'hive-gateway',
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
}

interface ClientHeaders {
  credentials: Record<string, string>;
}

const quietLogger = { debug() {}, info() {}, warn: console.warn, error: console.error };

export async function startApolloGateway(supergraphSdl: string): Promise<Router> {
  const server = new ApolloServer<ClientHeaders>({
    gateway: new ApolloGateway({
      supergraphSdl,
      logger: quietLogger,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<ClientHeaders>({
          url,
          willSendRequest({ request, context }) {
            for (const [name, value] of Object.entries<string>(context.credentials ?? {}))
              request.http?.headers.set(name, value);
          },
        }),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      credentials: credentialHeaders((name) => {
        const value: string | string[] | undefined = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      }),
    }),
  });
  return { name: 'apollo-gateway', url, close: () => server.stop() };
}

export const ROUTERS = { 'hive-gateway': startHiveGateway, 'apollo-gateway': startApolloGateway } as const;
