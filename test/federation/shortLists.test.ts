// A list whose last entry fails keeps its length, on every run of the same document: the gateway answers `null` for
// that entry with an error, never a shorter list. Routers resend the same operation text, and @apollo/gateway fails
// a whole entity fetch (nulling the valid entities too) when `_entities` is shorter than its representations. Each
// document runs three times against the same gateway, directly over HTTP and through @apollo/gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startSupergraph, type Supergraph } from '../helpers/supergraph.js';

const RUNS = 3;

/** A subgraph of pins: each points at one of our images by id, which may be one we cannot read. */
const PINS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Image @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Pin {
    label: String!
    image: Image
  }

  type Query {
    pins: [Pin!]!
  }
`;

let gw: TestGateway;
let supergraph: Supergraph;
let imageId: string;
let imageNodeId: string;
let imageName: string;

beforeAll(async () => {
  gw = await startTestGateway();
  const seed = await gw.gql(`{ images(first: 1) { nodes { id nodeId name } } }`);
  ({ id: imageId, nodeId: imageNodeId, name: imageName } = seed.data!.images.nodes[0]);
  const pins = [
    { label: 'valid', imageId },
    { label: 'unsendable', imageId: '..' },
  ];
  supergraph = await startSupergraph(gw, [
    {
      name: 'pins',
      typeDefs: PINS_SDL,
      resolvers: {
        Query: { pins: () => pins },
        Pin: { image: (pin: { imageId: string }) => ({ id: pin.imageId }) },
      },
    },
  ]);
}, 60_000);
afterAll(async () => {
  await supergraph?.close();
  await gw?.close();
});

const ENTITIES = 'query T($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Image { id } } }';

describe('directly over HTTP', () => {
  it('answers `_entities` with one entry per representation, the invalid last one null, on every run', async () => {
    const r = [
      { __typename: 'Image', id: 'ffffffffffffffffffffffff' },
      { __typename: 'Image', id: '..' },
    ];
    for (let run = 1; run <= RUNS; run++) {
      const res = await gw.gql<{ _entities: unknown[] }>(ENTITIES, { r });
      expect(res.data!._entities, `run ${run}`).toHaveLength(2);
      expect(res.data!._entities[1], `run ${run}`).toBeNull();
      // The first is a well-formed id Cycle does not know (NOT_FOUND), the last one no path can carry (BAD_USER_INPUT).
      expect(res.errors?.map((e) => [e.path, e.extensions?.code]).sort(), `run ${run}`).toEqual([
        [['_entities', 0], 'NOT_FOUND'],
        [['_entities', 1], 'BAD_USER_INPUT'],
      ]);
    }
  });

  it('answers `_entities` with the valid entity and a null for the invalid last one, on every run', async () => {
    const r = [
      { __typename: 'Image', id: imageId },
      { __typename: 'Image', id: '..' },
    ];
    for (let run = 1; run <= RUNS; run++) {
      const res = await gw.gql<{ _entities: unknown[] }>(ENTITIES, { r });
      expect(res.data!._entities, `run ${run}`).toEqual([{ __typename: 'Image', id: imageId }, null]);
    }
  });

  it('answers `nodes(ids: [valid, "garbage"])` with two entries, the garbage one null, on every run', async () => {
    const query = `query N($ids: [ID!]!) { nodes(ids: $ids) { __typename nodeId } }`;
    for (let run = 1; run <= RUNS; run++) {
      const res = await gw.gql<{ nodes: unknown[] }>(query, { ids: [imageNodeId, 'garbage'] });
      expect(res.data!.nodes, `run ${run}`).toEqual([{ __typename: 'Image', nodeId: imageNodeId }, null]);
      expect(
        res.errors?.map((e) => [e.path, e.extensions?.code]),
        `run ${run}`,
      ).toEqual([[['nodes', 1], 'BAD_USER_INPUT']]);
    }
  });
});

describe('through @apollo/gateway', () => {
  it('keeps the valid entity when the last representation of the entity fetch is invalid, on every run', async () => {
    const query = `query Pins { pins { label image { id name } } }`;
    for (let run = 1; run <= RUNS; run++) {
      const res = await postGraphQL<{ pins: { label: string; image: { id: string; name: string } | null }[] }>(
        supergraph.url,
        query,
      );
      // A short `_entities` list would fail the whole fetch: both images null, "Expected "data._entities" to ...".
      expect(res.errors?.map((e) => e.message).join('\n') ?? '', `run ${run}`).not.toMatch(/to contain \d+ elements/);
      expect(res.data!.pins, `run ${run}`).toEqual([
        { label: 'valid', image: { id: imageId, name: imageName } },
        { label: 'unsendable', image: null },
      ]);
      expect(res.errors?.length, `run ${run}`).toBeGreaterThan(0);
    }
  });

  it('answers `nodes(ids: [valid, "garbage"])` with two entries through the router, on every run', async () => {
    const query = `query N($ids: [ID!]!) { nodes(ids: $ids) { __typename nodeId } }`;
    for (let run = 1; run <= RUNS; run++) {
      const res = await postGraphQL<{ nodes: unknown[] }>(supergraph.url, query, { ids: [imageNodeId, 'garbage'] });
      expect(res.data!.nodes, `run ${run}`).toEqual([{ __typename: 'Image', nodeId: imageNodeId }, null]);
    }
  });
});
