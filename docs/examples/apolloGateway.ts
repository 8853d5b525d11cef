import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { IncomingMessage } from 'node:http';

/**
 * @apollo/gateway for imagegraph: `context` keeps each caller's imagegraph credential headers, and the data source of
 * the subgraph named `imagegraph` sends them with the router's gateway token and `x-imagegraph-router`. (@apollo/gateway
 * runs no subscriptions.)
 */
const IMAGEGRAPH_CREDENTIAL_HEADERS = [
  'x-cycle-authorization',
  'x-cycle-hub-id',
  'x-cf-authorization',
  'x-dockercloud-authorization',
];

export interface ImagegraphCallerContext {
  imagegraphCredentials: Record<string, string>;
}

/** `startStandaloneServer(server, { context: imagegraphCallerContext })`. */
export async function imagegraphCallerContext({ req }: { req: IncomingMessage }): Promise<ImagegraphCallerContext> {
  const imagegraphCredentials: Record<string, string> = {};
  for (const name of IMAGEGRAPH_CREDENTIAL_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && value !== '') imagegraphCredentials[name] = value;
  }
  return { imagegraphCredentials };
}

/** `new ApolloGateway({ supergraphSdl, buildService: imagegraphBuildService(process.env.IMAGEGRAPH_GATEWAY_TOKEN) })`. */
export function imagegraphBuildService(gatewayToken: string) {
  return ({ name, url }: { name: string; url?: string }) =>
    new RemoteGraphQLDataSource<ImagegraphCallerContext>({
      url,
      willSendRequest({ request, context }) {
        if (name !== 'imagegraph') return;
        request.http?.headers.set('authorization', `Bearer ${gatewayToken}`);
        request.http?.headers.set('x-imagegraph-router', 'apollo-gateway');
        for (const [header, value] of Object.entries<string>(context.imagegraphCredentials ?? {}))
          request.http?.headers.set(header, value);
      },
    });
}
