import { describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ sandbox: { jobDurationMs: 60 } });

async function aSource(type = 'DockerHubOrigin'): Promise<string> {
  const res = await gw.gql(`{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`);
  return res.data!.imageSources.nodes.find((n: any) => n.origin.__typename === type && n.state.current === 'LIVE').id;
}

const CREATE_SOURCE = `mutation($input: CreateImageSourceInput!) { createImageSource(input: $input) { id name type origin { __typename } } }`;

describe('images', () => {
  it('creates an image without importing it, then renames it', async () => {
    const sourceId = await aSource();
    const created = await gw.gql(
      `mutation($input: CreateImageInput!) { createImage(input: $input) { image { id name state { current } source { id } } importJob { id } } }`,
      {
        input: { sourceId, name: 'bench v1', buildArgs: [{ key: 'NODE_ENV', value: 'production' }] },
      },
    );
    expect(created.errors).toBeUndefined();
    const image = created.data!.createImage.image;
    expect(image).toMatchObject({ name: 'bench v1', state: { current: 'NEW' }, source: { id: sourceId } });
    expect(created.data!.createImage.importJob).toBeNull();
    const renamed = await gw.gql(
      `mutation($id: ID!) { updateImage(id: $id, input: { name: "bench v2" }) { id name } }`,
      { id: image.id },
    );
    expect(renamed.data!.updateImage).toEqual({ id: image.id, name: 'bench v2' });
  });

  it('creates and imports in one mutation, awaiting the import until the image is live', async () => {
    const sourceId = await aSource();
    const res = await gw.gql(
      `mutation($input: CreateImageInput!) { createImage(input: $input) { image { id state { current } } importJob { __typename state done upstreamState progress { completedSteps totalSteps } } } }`,
      {
        input: { sourceId, import: true, awaitMs: 5000 },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createImage.importJob).toMatchObject({
      __typename: 'CycleJob',
      state: 'SUCCEEDED',
      done: true,
      upstreamState: 'completed',
    });
    expect(res.data!.createImage.image.state.current).toBe('LIVE');
  });

  it('imports and deletes an image through jobs readable later with job(id)', async () => {
    const sourceId = await aSource();
    const created = await gw.gql(`mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`, {
      s: sourceId,
    });
    const id = created.data!.createImage.image.id;
    const started = await gw.gql(`mutation($id: ID!) { importImage(id: $id) { id state done } }`, { id });
    expect(started.data!.importImage).toMatchObject({ state: 'PENDING', done: false });
    const jobId = started.data!.importImage.id;
    await new Promise((r) => setTimeout(r, 150));
    const later = await gw.gql(`query($id: ID!) { job(id: $id) { id state done } }`, { id: jobId });
    expect(later.data!.job).toMatchObject({ id: jobId, state: 'SUCCEEDED', done: true });

    const deleted = await gw.gql(`mutation($id: ID!) { deleteImage(id: $id, awaitMs: 5000) { state done } }`, { id });
    expect(deleted.data!.deleteImage).toMatchObject({ state: 'SUCCEEDED', done: true });
    const gone = await gw.gql(`query($id: ID!) { image(id: $id) { id } }`, { id });
    expect(gone.data!.image).toBeNull();
  });

  it('prunes the images of the given sources', async () => {
    const source = await gw.gql(CREATE_SOURCE, {
      input: { name: 'prune me', origin: { dockerHub: { target: 'acme/worker:latest' } } },
    });
    const sourceId = source.data!.createImageSource.id;
    for (const name of ['a', 'b'])
      await gw.gql(
        `mutation($s: ID!, $n: String) { createImage(input: { sourceId: $s, name: $n }) { image { id } } }`,
        { s: sourceId, n: name },
      );
    const before = await gw.gql(`query($s: ID!) { imageSource(id: $s) { imagesCount { total } } }`, { s: sourceId });
    expect(before.data!.imageSource.imagesCount.total).toBe(2);
    const pruned = await gw.gql(
      `mutation($s: [ID!]!) { pruneImages(sourceIds: $s, awaitMs: 5000) { pruned { id } job { state } } }`,
      { s: [sourceId] },
    );
    expect(pruned.data!.pruneImages.pruned).toHaveLength(2);
    expect(pruned.data!.pruneImages.job.state).toBe('SUCCEEDED');
    const after = await gw.gql(`query($s: ID!) { imageSource(id: $s) { imagesCount { total } } }`, { s: sourceId });
    expect(after.data!.imageSource.imagesCount.total).toBe(0);
  });

  it('refuses an unknown source with NOT_FOUND and the upstream named', async () => {
    const res = await gw.gql(
      `mutation { createImage(input: { sourceId: "ffffffffffffffffffffffff" }) { image { id } } }`,
    );
    expect(res.data!.createImage).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: 'cycle',
      status: 404,
      upstreamCode: '404.image.source',
    });
  });
});

describe('image sources', () => {
  const origins = {
    DockerHubOrigin: { dockerHub: { target: 'acme/worker:2.0', username: 'acme', token: 'tok-written-only' } },
    DockerRegistryOrigin: {
      dockerRegistry: {
        target: 'acme/api:1.4.2',
        url: 'https://quay.io',
        username: 'acme',
        password: 'pw-written-only',
      },
    },
    OciRegistryOrigin: {
      ociRegistry: {
        target: 'acme/frontend:latest',
        url: 'https://ghcr.io',
        auth: { user: { username: 'acme', token: 'oci-written-only' } },
      },
    },
    DockerFileOrigin: {
      dockerFile: {
        repo: {
          url: 'https://github.com/acme/api.git',
          branch: 'main',
          auth: { http: { username: 'acme', password: 'git-written-only' } },
        },
        buildFile: 'Dockerfile',
      },
    },
    NoOrigin: { none: true },
  };

  for (const [typename, origin] of Object.entries(origins)) {
    it(`creates a source with a ${typename}`, async () => {
      const res = await gw.gql(CREATE_SOURCE, {
        input: { name: `source ${typename}`, identifier: `src-${typename.toLowerCase()}`, origin },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.createImageSource).toMatchObject({
        name: `source ${typename}`,
        type: 'DIRECT',
        origin: { __typename: typename },
      });
      expect(JSON.stringify(res)).not.toContain('written-only');
    });
  }

  it('refuses an origin with two members before any upstream request', async () => {
    const res = await gw.gql(CREATE_SOURCE, {
      input: { name: 'x', origin: { none: true, dockerHub: { target: 'a:b' } } },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/exactly one/);
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('passes Cycle validation errors on as BAD_USER_INPUT with their detail', async () => {
    const res = await gw.gql(CREATE_SOURCE, {
      input: { name: 'x', origin: { dockerRegistry: { target: '', url: '' } } },
    });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: 'cycle', status: 422 });
    expect(res.errors![0]!.message).toMatch(/Cycle rejected the input \(HTTP 422\): .+/);
  });

  it('updates a source, replaces its ACL, then deletes it through a job', async () => {
    const created = await gw.gql(CREATE_SOURCE, { input: { name: 'to change', origin: { none: true } } });
    const id = created.data!.createImageSource.id;
    const updated = await gw.gql(
      `mutation($id: ID!) { updateImageSource(id: $id, input: { name: "changed", description: "about it" }) { name description } }`,
      { id },
    );
    expect(updated.data!.updateImageSource).toEqual({ name: 'changed', description: 'about it' });
    const roleId = '65f0aa01b7e5d40001a3c001';
    const acl = await gw.gql(
      `mutation($id: ID!, $acl: [AclEntryInput!]) { updateImageSourceAccess(id: $id, acl: $acl) { acl { roleId view modify manage } } }`,
      {
        id,
        acl: [{ roleId, view: true, modify: false, manage: false }],
      },
    );
    expect(acl.data!.updateImageSourceAccess.acl).toEqual([{ roleId, view: true, modify: false, manage: false }]);
    const started = await gw.gql(`mutation($id: ID!) { deleteImageSource(id: $id) { id state } }`, { id });
    expect(started.data!.deleteImageSource.state).toBe('PENDING');
    const deleting = await gw.gql(`query($id: ID!) { imageSource(id: $id) { state { current } } }`, { id });
    expect(deleting.data!.imageSource.state.current).toBe('DELETING');
    const finished = await gw.gql(`mutation($id: ID!) { deleteImageSource(id: $id, awaitMs: 3000) { state } }`, { id });
    // A second delete of a source already being deleted is refused by Cycle (403.invalid-state): FORBIDDEN, named.
    expect(finished.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', upstream: 'cycle' });
    await new Promise((r) => setTimeout(r, 150));
    const gone = await gw.gql(`query($id: ID!) { imageSource(id: $id) { id } }`, { id });
    expect(gone.data!.imageSource).toBeNull();
  });
});
