/**
 * Where the graph differed from Cycle's own pages (the project's seeds 002 "Images" and 004 "Image Sources") and the
 * spec behind them (cycle.md §4-§6): a source's name is optional; sources sort by no `SIZE`; a source update can
 * clear the nullable `identifier`, `builder` and `about.description`; sources reach `include=integrations`; a
 * `cycle-upload` origin can be created; a JobDescriptor with only `action` is Cycle accepting the work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();

const SOURCE_FIELDS = `id name identifier description builderIntegrationId origin { __typename }`;
const CREATE = `mutation($input: CreateImageSourceInput!) { createImageSource(input: $input) { ${SOURCE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateImageSourceInput!) { updateImageSource(id: $id, input: $input) { ${SOURCE_FIELDS} } }`;

async function aBuilderReference(): Promise<{ ref: string; integrationId: string }> {
  const res = await gw.gql(`{ imageSources(first: 100) { nodes { builderIntegrationId integration { id name } } } }`);
  expect(res.errors).toBeUndefined();
  const withBuilder = res.data!.imageSources.nodes.find((s: any) => s.builderIntegrationId !== null);
  expect(withBuilder, 'a seeded source names a builder').toBeDefined();
  return { ref: withBuilder.builderIntegrationId, integrationId: withBuilder.integration.id };
}

describe('image sources', () => {
  it('creates a source without a name (seed 004: `name` is optional)', async () => {
    const res = await gw.gql(CREATE, { input: { origin: { dockerHub: { target: 'acme/worker:latest' } } } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createImageSource.name).toEqual(expect.any(String));
    expect(res.data!.createImageSource.origin.__typename).toBe('DockerHubOrigin');
  });

  it('sorts sources by their own fields; SIZE (images only) is not one of them', async () => {
    const bySize = await gw.gql(`{ imageSources(first: 3, sort: [{ field: SIZE }]) { nodes { id } } }`);
    expect(codes(bySize)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
    const byIdentifier = await gw.gql(
      `{ imageSources(first: 5, sort: [{ field: IDENTIFIER, direction: DESC }]) { nodes { identifier } } }`,
    );
    expect(byIdentifier.errors).toBeUndefined();
    const identifiers = byIdentifier.data!.imageSources.nodes.map((n: any) => n.identifier);
    expect(identifiers).toEqual([...identifiers].sort().reverse());
    expect(gw.sandbox.cycle.requests()[0]!.query).toContain('sort=-identifier');
  });

  it('reads a source’s builder integration through include=integrations, in the list call', async () => {
    const res = await gw.gql(`{ imageSources(first: 100) { nodes { builderIntegrationId integration { id name } } } }`);
    expect(res.errors).toBeUndefined();
    const withBuilder = res.data!.imageSources.nodes.filter((s: any) => s.builderIntegrationId !== null);
    expect(withBuilder.length).toBeGreaterThan(0);
    expect(withBuilder.every((s: any) => typeof s.integration?.name === 'string')).toBe(true);
    const calls = gw.sandbox.cycle.requests();
    expect(calls).toHaveLength(1);
    expect(new URLSearchParams(calls[0]!.query).getAll('include')).toContain('integrations');
  });

  it('clears identifier, builder and description with explicit nulls; absent fields stay as they are', async () => {
    const { ref } = await aBuilderReference();
    const created = await gw.gql(CREATE, {
      input: {
        name: 'Clear Me',
        identifier: 'custom-slug',
        description: 'to be cleared',
        builderIntegrationId: ref,
        origin: { none: true },
      },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createImageSource.id;
    expect(created.data!.createImageSource).toMatchObject({
      identifier: 'custom-slug',
      description: 'to be cleared',
      builderIntegrationId: ref,
    });

    const renamed = await gw.gql(UPDATE, { id, input: { name: 'Still Described' } });
    expect(renamed.data!.updateImageSource).toMatchObject({
      name: 'Still Described',
      identifier: 'custom-slug',
      description: 'to be cleared',
      builderIntegrationId: ref,
    });

    const cleared = await gw.gql(UPDATE, {
      id,
      input: { identifier: null, builderIntegrationId: null, description: null },
    });
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.updateImageSource).toMatchObject({
      name: 'Still Described',
      // Cycle derives an identifier from the name when none is given.
      identifier: 'still-described',
      description: null,
      builderIntegrationId: null,
    });
  });

  it('refuses to clear the name or the origin, before any request', async () => {
    const created = await gw.gql(CREATE, { input: { name: 'Keep', origin: { none: true } } });
    gw.sandbox.resetRequests();
    for (const field of ['name', 'origin']) {
      const res = await gw.gql(UPDATE, { id: created.data!.createImageSource.id, input: { [field]: null } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.argument).toBe(`input.${field}`);
    }
    expect(gw.sandbox.cycle.requests()).toEqual([]);
  });

  it('refuses a Docker Hub target that is no image reference, before any request', async () => {
    const res = await gw.gql(CREATE, { input: { origin: { dockerHub: { target: 'UPPER CASE::bad' } } } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.argument).toBe('origin.dockerHub.target');
    expect(gw.sandbox.cycle.requests()).toEqual([]);
  });

  it('creates a cycle-upload source, the token issued by Cycle or given with its expiry', async () => {
    const issued = await gw.gql(
      `mutation { createImageSource(input: { name: "uploads", origin: { cycleUpload: {} } }) {
        origin { ... on CycleUploadOrigin { type expires hasToken } } } }`,
    );
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.createImageSource.origin).toMatchObject({ type: 'CYCLE_UPLOAD', hasToken: true });
    expect(issued.data!.createImageSource.origin.expires).toEqual(expect.any(String));

    const given = await gw.gql(
      `mutation { createImageSource(input: { origin: { cycleUpload: { expires: "2031-01-01T00:00:00Z", token: "upload-SECRET-token" } } }) {
        origin { ... on CycleUploadOrigin { expires hasToken } } } }`,
    );
    expect(given.errors).toBeUndefined();
    expect(given.data!.createImageSource.origin).toEqual({ expires: '2031-01-01T00:00:00Z', hasToken: true });
    expect(JSON.stringify(given)).not.toContain('upload-SECRET-token');

    gw.sandbox.resetRequests();
    const half = await gw.gql(
      `mutation { createImageSource(input: { origin: { cycleUpload: { token: "t" } } }) { id } }`,
    );
    expect(codes(half)).toEqual(['BAD_USER_INPUT']);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
  });
});

describe('a JobDescriptor with only `action` (the spec requires nothing else)', () => {
  let cycle: Server;
  let withStub: TestGateway;
  const IMAGE_ID = '65f1c3d9b7e5d40001a3ca10';

  beforeAll(async () => {
    cycle = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.method === 'DELETE' ? 200 : 202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { action: req.method === 'DELETE' ? 'delete' : 'import' } }));
      });
    });
    await new Promise<void>((resolve) => cycle.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(cycle.address() as AddressInfo).port}`;
    withStub = await startTestGateway({
      config: (config) => ({
        ...config,
        upstreams: { ...config.upstreams, cycle: { ...config.upstreams.cycle!, url } },
      }),
    });
  });
  afterAll(async () => {
    await withStub.close();
    await new Promise((resolve) => cycle.close(resolve));
  });

  it('is a success with no job to follow, not a malformed response', async () => {
    const res = await withStub.gql(`mutation($id: ID!) { importImage(id: $id, awaitMs: 1000) { id } }`, {
      id: IMAGE_ID,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importImage).toBeNull();
    const forced = await withStub.gql(`mutation($id: ID!) { deleteImage(id: $id, force: true) { id } }`, {
      id: IMAGE_ID,
    });
    expect(forced.errors).toBeUndefined();
    expect(forced.data!.deleteImage).toBeNull();
  });
});
