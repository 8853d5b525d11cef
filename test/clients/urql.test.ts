// Real urql with Graphcache against the gateway, set up exactly as docs/clients.md shows (docs/examples/urqlClient.ts
// and schemaFiles.ts), with the configuration the gateway serves at /client-config.json. Graphcache answers every
// operation from its normalized cache after writing the response into it, so each answer below is what the cache holds.
import { gql } from '@urql/core';
import { pipe, takeWhile, toPromise } from 'wonka';
import { afterEach, beforeAll, beforeEach, expect, it, vi, type MockInstance } from 'vitest';
import type { IntrospectionQuery } from 'graphql';
import { createUrqlClient } from '../../docs/examples/urqlClient.js';
import { fetchIntrospection, graphcacheSchema } from '../../docs/examples/schemaFiles.js';
import type { ClientConfig } from '../../src/clientConfig.js';
import { useTestGateway } from '../helpers/fixture.js';
import { PACKAGE_LABELS, SET_TIER_LABEL } from './documents.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();
let config: ClientConfig;
let schema: IntrospectionQuery;
// Graphcache reports keys it cannot make, heuristic fragment matches and other setup gaps on console.warn.
let graphcacheWarnings: MockInstance<typeof console.warn>;
beforeAll(async () => {
  config = (await (await fetch(`${gw.url}/client-config.json`)).json()) as ClientConfig;
  schema = graphcacheSchema(await fetchIntrospection(`${gw.url}/graphql`));
});
beforeEach(() => {
  graphcacheWarnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => graphcacheWarnings.mockRestore());

const newClient = () => createUrqlClient(`${gw.url}/graphql`, config, schema);

const TWO_NAMESPACES = gql`
  query ($name: String!) {
    own: repository(name: $name) {
      namespace
      name
      inUse
      nodeId
    }
    org: repository(name: $name, namespace: "acme") {
      namespace
      name
      inUse
      nodeId
    }
  }
`;

it('keeps one repository name in two namespaces as two entities, each with its own inUse', async () => {
  const res = await newClient().query(TWO_NAMESPACES, { name: 'ghcr.io/acme/frontend' }).toPromise();
  expect(res.error).toBeUndefined();
  expect(res.data.own.namespace).toBe(DEMO_TENANT.dockercloud.username);
  expect(res.data.org.namespace).toBe('acme');
  expect(res.data.own.inUse).not.toBe(res.data.org.inUse);
  expect(res.data.own.nodeId).not.toBe(res.data.org.nodeId);
  expect(graphcacheWarnings).not.toHaveBeenCalled();
});

it('resolves fields selected through fragments on interfaces', async () => {
  const client = newClient();
  const listed = await client
    .query(
      gql`
        {
          packages(first: 1) {
            nodes {
              guid
              nodeId
              state
            }
          }
        }
      `,
      {},
    )
    .toPromise();
  const pkg = listed.data.packages.nodes[0];
  const res = await client
    .query(
      gql`
        query ($id: ID!) {
          node(id: $id) {
            __typename
            nodeId
            ... on Package {
              guid
              state
            }
            ... on Job {
              id
            }
          }
        }
      `,
      { id: pkg.nodeId },
    )
    .toPromise();
  expect(res.data.node).toEqual({ __typename: 'Package', nodeId: pkg.nodeId, guid: pkg.guid, state: pkg.state });
  expect(graphcacheWarnings).not.toHaveBeenCalled();
});

it('updates a cached Package from a mutation’s answer, without reading the list again', async () => {
  const client = newClient();
  const list = PACKAGE_LABELS;
  const before = await client.query(list, {}).toPromise();
  const [other, target] = before.data.packages.nodes;
  const mutated = await client.mutation(SET_TIER_LABEL, { guid: target.guid, tier: 'graphcache' }).toPromise();
  expect(mutated.error).toBeUndefined();
  const cfCalls = gw.sandbox.cf.requests().length;
  const after = await client.query(list, {}, { requestPolicy: 'cache-only' }).toPromise();
  expect(gw.sandbox.cf.requests().length).toBe(cfCalls);
  const byGuid = new Map(after.data.packages.nodes.map((p: any) => [p.guid, p]));
  expect((byGuid.get(target.guid) as any).metadata.labels).toContainEqual({ key: 'tier', value: 'graphcache' });
  expect((byGuid.get(other.guid) as any).metadata).toEqual(other.metadata);
  expect(graphcacheWarnings).not.toHaveBeenCalled();
});

it('follows an image import to LIVE over Server-Sent Events, and keeps the image up to date in the cache', async () => {
  const client = newClient();
  const sources = await client
    .query(gql('{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }'), {})
    .toPromise();
  const source = sources.data.imageSources.nodes.find(
    (s: any) => s.origin.__typename === 'DockerHubOrigin' && s.state.current === 'LIVE',
  );
  const created = await client
    .mutation(gql('mutation ($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }'), { s: source.id })
    .toPromise();
  const id = created.data.createImage.image.id;
  const IMAGE = gql('query ($id: ID!) { image(id: $id) { id state { current } } }');
  expect((await client.query(IMAGE, { id }).toPromise()).data.image.state.current).toBe('NEW');

  const seen: string[] = [];
  const watching = pipe(
    client.subscription(gql('subscription ($id: ID!) { imageState(id: $id) { id state { current } } }'), { id }),
    takeWhile((result) => {
      if (result.error) throw result.error;
      seen.push(result.data.imageState.state.current);
      return result.data.imageState.state.current !== 'LIVE';
    }),
    toPromise,
  );
  await client.mutation(gql('mutation ($id: ID!) { importImage(id: $id) { id } }'), { id }).toPromise();
  await watching;
  expect(seen[0]).toBe('NEW');
  expect(seen.at(-1)).toBe('LIVE');
  const cached = await client.query(IMAGE, { id }, { requestPolicy: 'cache-only' }).toPromise();
  expect(cached.data.image.state.current).toBe('LIVE');
  expect(graphcacheWarnings).not.toHaveBeenCalled();
});

it('warns about every type without an identity when the embedded types are left out', async () => {
  const client = createUrqlClient(`${gw.url}/graphql`, { ...config, embeddedTypes: [] }, schema);
  await client.query(gql('{ images(first: 5) { nodes { id factory { cached } } } }'), {}).toPromise();
  const messages = graphcacheWarnings.mock.calls.map((call) => String(call[0]));
  expect(messages.some((m) => m.includes('Invalid key') && m.includes('`ImageFactory`'))).toBe(true);
});
