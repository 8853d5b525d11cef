// Composition for real: a second subgraph, built here, extends our `Image` with a field and references our `Package`.
// Both are composed with @apollo/composition, the supergraph is served by @apollo/gateway on loopback, and queries
// cross the two subgraphs in both directions (our SDL is read over HTTP, as `rover subgraph introspect` does).
import { ApolloGateway } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postGraphQL, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** The second subgraph: deployments of our images with our packages. */
const DEPLOYMENTS_SDL = `
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
  }
`;

interface Deployment {
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

const quietLogger = { debug() {}, info() {}, warn: console.warn, error: console.error };

let gw: TestGateway;
let deploymentsServer: ApolloServer;
let supergraphServer: ApolloServer;
let supergraphUrl: string;
let supergraphSdl: string;
let images: { id: string; name: string; sourceName: string }[];
let packages: { guid: string; state: string; appName: string }[];
let deployments: Deployment[];

beforeAll(async () => {
  gw = await startTestGateway();
  const seed = await gw.gql(`{
    images(first: 4) { nodes { id name source { name } } }
    packages(first: 2) { nodes { guid state app { name } } }
  }`);
  images = seed.data!.images.nodes.map((n: any) => ({ id: n.id, name: n.name, sourceName: n.source.name }));
  packages = seed.data!.packages.nodes.map((n: any) => ({ guid: n.guid, state: n.state, appName: n.app.name }));
  // Six deployments over three of the four images (the fourth has none) and two packages.
  deployments = ['prod', 'staging', 'dev', 'prod-eu', 'prod-us', 'canary'].map((environment, i) => ({
    id: `d${i + 1}`,
    environment,
    imageId: images[i % 3]!.id,
    packageGuid: packages[i % 2]!.guid,
  }));

  deploymentsServer = new ApolloServer({
    schema: deploymentsSchema(deployments),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: deploymentsUrl } = await startStandaloneServer(deploymentsServer, {
    listen: { port: 0, host: '127.0.0.1' },
  });

  const ourSdl = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const composed = composeServices([
    { name: 'imagegraph', typeDefs: parse(ourSdl.data!._service.sdl), url: `${gw.url}/graphql` },
    { name: 'deployments', typeDefs: parse(DEPLOYMENTS_SDL), url: deploymentsUrl },
  ]);
  if (composed.errors) throw new Error(`composition failed:\n${composed.errors.map((e) => e.message).join('\n')}`);
  supergraphSdl = composed.supergraphSdl;

  supergraphServer = new ApolloServer({
    gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, logger: quietLogger }),
  });
  ({ url: supergraphUrl } = await startStandaloneServer(supergraphServer, { listen: { port: 0, host: '127.0.0.1' } }));
}, 60_000);

afterAll(async () => {
  await supergraphServer?.stop();
  await deploymentsServer?.stop();
  await gw?.close();
});

beforeEach(() => gw.sandbox.resetRequests());

const viaSupergraph = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL<Record<string, any>>(supergraphUrl, query, variables);

describe('composition', () => {
  // composeServices reported no errors (beforeAll throws otherwise); here is what it made of the two subgraphs.
  const joinedBy = (type: string) =>
    [
      ...(supergraphSdl.match(new RegExp(`^type ${type}\\b[^{]*`, 'm'))?.[0] ?? '').matchAll(
        /@join__type\(graph: (\w+)/g,
      ),
    ].map((m) => m[1]);

  it('joins Image from both subgraphs by its key, and keeps Package resolvable only by ours', () => {
    expect(joinedBy('Image').sort()).toEqual(['DEPLOYMENTS', 'IMAGEGRAPH']);
    expect(supergraphSdl).toMatch(/@join__type\(graph: DEPLOYMENTS, key: "guid", resolvable: false\)/);
  });

  it('shares the value types both subgraphs define (PageInfo, KeyValue)', () => {
    expect(joinedBy('PageInfo').sort()).toEqual(['DEPLOYMENTS', 'IMAGEGRAPH']);
    expect(joinedBy('KeyValue').sort()).toEqual(['DEPLOYMENTS', 'IMAGEGRAPH']);
  });
});

describe('queries across the supergraph', () => {
  it('from their subgraph to ours: deployments with our images, packages and apps, batched by our loaders', async () => {
    const res = await viaSupergraph(`{
      deployments {
        nodes { id environment labels { key value } image { id name source { name } } package { guid state app { name } } }
        pageInfo { hasNextPage }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.deployments.nodes;
    expect(nodes).toHaveLength(deployments.length);
    nodes.forEach((node: any, i: number) => {
      const image = images[i % 3]!;
      const pkg = packages[i % 2]!;
      expect(node).toEqual({
        id: deployments[i]!.id,
        environment: deployments[i]!.environment,
        labels: [{ key: 'env', value: deployments[i]!.environment }],
        image: { id: image.id, name: image.name, source: { name: image.sourceName } },
        package: { guid: pkg.guid, state: pkg.state, app: { name: pkg.appName } },
      });
    });
    // The router's one `_entities` fetch of 6 images and 6 packages: one Cycle GET per distinct image (source
    // included), one CF packages call and one apps call.
    const cycle = gw.sandbox.cycle.requests();
    expect(cycle.map((r) => r.path).sort()).toEqual(
      images
        .slice(0, 3)
        .map((i) => `/v1/images/${i.id}`)
        .sort(),
    );
    expect(cycle.every((r) => new URLSearchParams(r.query).getAll('include').includes('sources'))).toBe(true);
    expect(gw.sandbox.cf.requests().map((r) => r.path)).toEqual(['/v3/packages', '/v3/apps']);
  });

  it('from our subgraph to theirs: images with the deployments the other subgraph adds', async () => {
    const res = await viaSupergraph(`{ images(first: 4) { nodes { id name deployments { id environment } } } }`);
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data!.images.nodes.map((n: any) => [n.id, n]));
    for (const image of images) {
      const expected = deployments
        .filter((d) => d.imageId === image.id)
        .map((d) => ({ id: d.id, environment: d.environment }));
      expect(byId.get(image.id)).toEqual({ id: image.id, name: image.name, deployments: expected });
    }
    expect(gw.sandbox.cycle.requests()).toHaveLength(1);
  });

  it('ours, theirs, ours again: images → deployments → packages and their apps', async () => {
    const res = await viaSupergraph(
      `{ images(first: 4) { nodes { id deployments { environment package { guid app { name } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const first = res.data!.images.nodes.find((n: any) => n.id === images[0]!.id);
    expect(first.deployments).toEqual(
      deployments
        .filter((d) => d.imageId === images[0]!.id)
        .map((d) => ({
          environment: d.environment,
          package: { guid: d.packageGuid, app: { name: packages.find((p) => p.guid === d.packageGuid)!.appName } },
        })),
    );
    expect(gw.sandbox.cf.requests().map((r) => r.path)).toEqual(['/v3/packages', '/v3/apps']);
  });

  it('Relay node(id) through the supergraph, joined with the other subgraph', async () => {
    const ids = await gw.gql(`query($id: ID!) { image(id: $id) { nodeId } }`, { id: images[1]!.id });
    const res = await viaSupergraph(
      `query($id: ID!) { node(id: $id) { nodeId ... on Image { id name deployments { environment } } } }`,
      { id: ids.data!.image.nodeId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toEqual({
      nodeId: ids.data!.image.nodeId,
      id: images[1]!.id,
      name: images[1]!.name,
      deployments: deployments.filter((d) => d.imageId === images[1]!.id).map((d) => ({ environment: d.environment })),
    });
  });
});
