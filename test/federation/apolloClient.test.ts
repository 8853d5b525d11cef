// Real Apollo Client 3 (InMemoryCache over HttpLink) against the gateway, configured as docs/clients.md says: with
// the output of `npm run client-config` (possibleTypes and keyFields derived from the schema).
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientConfig, type ClientConfig } from '../../src/clientConfig.js';
import { buildSchema } from '../../src/schema.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let config: ClientConfig;
beforeAll(async () => {
  gw = await startTestGateway();
  const schema = buildSchema();
  const sdl = await execute({ schema, document: parse('{ _service { sdl } }') });
  config = clientConfig(schema, (sdl.data!._service as { sdl: string }).sdl);
});
afterAll(() => gw.close());

function newClient() {
  return new ApolloClient({
    link: new HttpLink({ uri: `${gw.url}/graphql` }),
    cache: new InMemoryCache({ possibleTypes: config.possibleTypes, typePolicies: config.typePolicies }),
  });
}

it('derives keyFields for every entity from its @key', () => {
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
  const res = await client.query({
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
  const own = cache[`Repository:{"namespace":null,"name":"${name}"}`];
  const org = cache[`Repository:{"namespace":"acme","name":"${name}"}`];
  expect(own.inUse).toBe(res.data.own.inUse);
  expect(org.inUse).toBe(res.data.org.inUse);
});

it('normalizes every entity type and resolves fields selected through interface fragments', async () => {
  const client = newClient();
  const res = await client.query({
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
    await client.query({
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
  const viaNode = await client.query({
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
  const keys = Object.keys(client.cache.extract());
  for (const type of ['Image', 'ImageSource', 'Package', 'App', 'Repository', 'Registry'])
    expect(
      keys.some((k) => k.startsWith(`${type}:`)),
      type,
    ).toBe(true);
});
