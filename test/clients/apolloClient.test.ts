// Real Apollo Client 4 (InMemoryCache over HttpLink) against the gateway, set up exactly as docs/clients.md shows
// (docs/examples/apolloClient.ts), with the configuration the gateway serves at /client-config.json.
import { gql } from '@apollo/client';
import { beforeAll, expect, it } from 'vitest';
import { createApolloClient } from '../../docs/examples/apolloClient.js';
import type { ClientConfig } from '../../src/clientConfig.js';
import { useTestGateway } from '../helpers/fixture.js';
import { PACKAGE_LABELS, SET_TIER_LABEL } from './documents.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();
let config: ClientConfig;
beforeAll(async () => {
  config = (await (await fetch(`${gw.url}/client-config.json`)).json()) as ClientConfig;
});

const newClient = () => createApolloClient(`${gw.url}/graphql`, config);

it('serves keyFields for every entity, derived from its @key', () => {
  expect(config.typePolicies).toEqual({
    Image: { keyFields: ['id'] },
    ImageSource: { keyFields: ['id'] },
    Package: { keyFields: ['guid'] },
    App: { keyFields: ['guid'] },
    Repository: { keyFields: ['namespace', 'name'] },
    Registry: { keyFields: ['namespace', 'host'] },
  });
  expect(config.possibleTypes.Node).toContain('Repository');
});

it('keeps one repository name in two namespaces as two cache records, each with its own inUse', async () => {
  const client = newClient();
  const name = 'ghcr.io/acme/frontend';
  const res = await client.query<any>({
    query: gql`
      query ($name: String!) {
        own: repository(name: $name) {
          namespace
          name
          inUse
        }
        org: repository(name: $name, namespace: "acme") {
          namespace
          name
          inUse
        }
      }
    `,
    variables: { name },
  });
  expect(res.data.own.inUse).not.toBe(res.data.org.inUse);
  const cache = client.cache.extract() as Record<string, any>;
  const own = cache[`Repository:{"namespace":"${DEMO_TENANT.dockercloud.username}","name":"${name}"}`];
  const org = cache[`Repository:{"namespace":"acme","name":"${name}"}`];
  expect(own.inUse).toBe(res.data.own.inUse);
  expect(org.inUse).toBe(res.data.org.inUse);
});

it('normalizes every entity type and resolves fields selected through interface fragments', async () => {
  const client = newClient();
  const res = await client.query<any>({
    query: gql`
      {
        images(first: 2) {
          nodes {
            id
            name
            creator {
              ... on Creator {
                __typename
              }
            }
          }
        }
        imageSources(first: 1) {
          nodes {
            id
            name
          }
        }
        packages(first: 2) {
          nodes {
            guid
            state
            app {
              guid
              name
            }
          }
        }
        repositories(first: 2) {
          nodes {
            namespace
            name
            registry {
              namespace
              host
              name
            }
          }
        }
      }
    `,
  });
  const packageGuid = res.data.packages.nodes[0].guid;
  const nodeId = (
    await client.query<any>({
      query: gql`
        query ($g: ID!) {
          package(guid: $g) {
            guid
            nodeId
          }
        }
      `,
      variables: { g: packageGuid },
    })
  ).data.package.nodeId;
  const viaNode = await client.query<any>({
    query: gql`
      query ($id: ID!) {
        node(id: $id) {
          nodeId
          ... on Package {
            guid
            state
          }
        }
      }
    `,
    variables: { id: nodeId },
  });
  expect(viaNode.data.node).toMatchObject({ guid: packageGuid, state: res.data.packages.nodes[0].state });
  const keys = Object.keys(client.cache.extract() as Record<string, unknown>);
  for (const type of ['Image', 'ImageSource', 'Package', 'App', 'Repository', 'Registry'])
    expect(
      keys.some((k) => k.startsWith(`${type}:`)),
      type,
    ).toBe(true);
});

it('updates a cached Package from a mutation’s answer, without reading the list again', async () => {
  const client = newClient();
  const packagesQuery = PACKAGE_LABELS;
  const before = await client.query<any>({ query: packagesQuery });
  const target = before.data.packages.nodes[1];
  const other = before.data.packages.nodes[0];
  await client.mutate<any>({
    mutation: SET_TIER_LABEL,
    variables: { guid: target.guid, tier: 'apollo-cache' },
  });
  const listCallsBefore = gw.sandbox.cf.requests().length;
  const after = await client.query<any>({ query: packagesQuery, fetchPolicy: 'cache-only' });
  expect(gw.sandbox.cf.requests().length).toBe(listCallsBefore);
  const updated = after.data.packages.nodes.find((p: { guid: string }) => p.guid === target.guid);
  expect(updated.metadata.labels).toContainEqual({ __typename: 'KeyValue', key: 'tier', value: 'apollo-cache' });
  const untouched = after.data.packages.nodes.find((p: { guid: string }) => p.guid === other.guid);
  expect(untouched.metadata).toEqual(other.metadata);
});

it('appends the next page with fetchMore, with the served configuration’s relayStylePagination: 2 pages in the list', async () => {
  const client = newClient();
  const query = gql`
    query ($after: String) {
      images(first: 4, after: $after) {
        edges {
          cursor
          node {
            id
            name
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  const first = await client.query<any>({ query });
  expect(first.data.images.edges).toHaveLength(4);
  const watched = client.watchQuery<any>({ query });
  const watching = watched.subscribe(() => {});
  await watched.fetchMore({ variables: { after: first.data.images.pageInfo.endCursor } });
  watching.unsubscribe();
  const cached = client.readQuery<any>({ query });
  const raw = await gw.gql(`{ images(first: 8) { edges { node { id } } } }`);
  expect(cached.images.edges.map((e: any) => e.node.id)).toEqual(raw.data!.images.edges.map((e: any) => e.node.id));
  expect(cached.images.pageInfo.endCursor).toBe(cached.images.edges[7].cursor);
  console.log(`Apollo fetchMore: ${cached.images.edges.length} images in the cached list after 2 pages of 4`);
});

it('keys creators of every kind through one AnyCreator fragment', async () => {
  const client = newClient();
  const res = await client.query<any>({
    query: gql`
      {
        images(first: 20) {
          nodes {
            id
            creator {
              ... on AnyCreator {
                id
              }
            }
          }
        }
      }
    `,
  });
  const kinds = new Set(res.data.images.nodes.map((n: any) => n.creator.__typename));
  expect(kinds.size).toBeGreaterThan(1);
  const keys = Object.keys(client.cache.extract() as Record<string, unknown>);
  for (const node of res.data.images.nodes) expect(keys).toContain(`${node.creator.__typename}:${node.creator.id}`);
});
