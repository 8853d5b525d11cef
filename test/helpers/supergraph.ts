/**
 * A supergraph over a test gateway, as test/federation/supergraph.test.ts builds one: our SDL read over HTTP (as
 * `rover subgraph introspect` does), composed with @apollo/composition next to other subgraphs served here on
 * loopback, and the result served by @apollo/gateway on a loopback port.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { TestGateway } from './gateway.js';

export interface OtherSubgraph {
  name: string;
  typeDefs: string;
  resolvers: Record<string, unknown>;
}

export interface Supergraph {
  /** The router's GraphQL endpoint. */
  url: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

const quietLogger = { debug() {}, info() {}, warn: console.warn, error: console.error };

export async function startSupergraph(gw: TestGateway, others: OtherSubgraph[]): Promise<Supergraph> {
  const servers: ApolloServer[] = [];
  try {
    const services = [];
    for (const other of others) {
      const server = new ApolloServer({
        schema: buildSubgraphSchema([{ typeDefs: parse(other.typeDefs), resolvers: other.resolvers as never }]),
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      });
      servers.push(server);
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      services.push({ name: other.name, typeDefs: parse(other.typeDefs), url });
    }
    const ourSdl = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const composed = composeServices([
      { name: 'imagegraph', typeDefs: parse(ourSdl.data!._service.sdl), url: `${gw.url}/graphql` },
      ...services,
    ]);
    if (composed.errors) throw new Error(`composition failed:\n${composed.errors.map((e) => e.message).join('\n')}`);
    const router = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, logger: quietLogger }),
    });
    servers.push(router);
    const { url } = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } });
    return {
      url,
      supergraphSdl: composed.supergraphSdl,
      close: async () => {
        await Promise.all(servers.map((server) => server.stop()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
    throw error;
  }
}
