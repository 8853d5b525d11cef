/**
 * The second subgraph of the supergraph tests: deployments of our images with our packages. It extends our `Image`
 * with a field and references our `Package` (which it cannot resolve), as a team's own subgraph would.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const DEPLOYMENTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  type Deployment @key(fields: "id") {
    id: ID!
    environment: String!
    labels: [KeyValue!]!
    image: Image!
    package: Package
  }

  "Our Image, extended with the deployments that run it."
  type Image @key(fields: "id") {
    id: ID!
    deployments: [Deployment!]!
  }

  "A reference to our Package: this subgraph cannot resolve it, only point at it."
  type Package @key(fields: "guid", resolvable: false) {
    guid: ID!
  }

  type DeploymentConnection {
    nodes: [Deployment!]!
    pageInfo: PageInfo!
  }

  # Value types both subgraphs define: they compose because both mark them @shareable.
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type KeyValue @shareable {
    key: String!
    value: String!
  }

  type Query {
    deployments: DeploymentConnection!
    "A deployment whose image and package no longer exist upstream."
    retiredDeployment: Deployment
  }
`;

/** The image and package of `retiredDeployment`: well-formed keys the upstreams do not know. */
export const RETIRED = { imageId: '0123456789abcdef01234567', packageGuid: '00000000-0000-4000-8000-000000000000' };

export interface Deployment {
  id: string;
  environment: string;
  imageId: string;
  packageGuid: string;
}

function deploymentsSchema(deployments: Deployment[]) {
  return buildSubgraphSchema([
    {
      typeDefs: parse(DEPLOYMENTS_SDL),
      resolvers: {
        Query: {
          deployments: () => ({
            nodes: deployments,
            pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          }),
          retiredDeployment: (): Deployment => ({ id: 'retired', environment: 'retired', ...RETIRED }),
        },
        Deployment: {
          labels: (d: Deployment) => [{ key: 'env', value: d.environment }],
          image: (d: Deployment) => ({ id: d.imageId }),
          package: (d: Deployment) => ({ guid: d.packageGuid }),
        },
        Image: {
          __resolveReference: (ref: { id: string }) => ref,
          deployments: (image: { id: string }) => deployments.filter((d) => d.imageId === image.id),
        },
      } as never,
    },
  ]);
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function startDeploymentsSubgraph(deployments: Deployment[]): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema: deploymentsSchema(deployments),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}
