/**
 * `uploadImage` over real HTTP against the sandbox: a `cycle-upload` source, an image on it, an OCI tar generated
 * here, sent as a GraphQL multipart request, streamed by the gateway to the sandbox's factory with the source's
 * token, and the image watched with `imageState` until LIVE. The token never appears in any response or log line.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/shared/credentials.js';
import { useTestGateway } from '../helpers/fixture.js';
import { codes, startTestGateway, type GraphQLResponse } from '../helpers/gateway.js';
import { postMultipart } from '../helpers/multipart.js';
import { ociImageTar, tar } from '../helpers/ociTar.js';
import { sseClient, watch } from '../helpers/subscriptions.js';

// Jobs long enough that the subscription's polls see the image's steps after the upload.
const gw = useTestGateway({ sandbox: { jobDurationMs: 1500 } });

const UPLOAD = `mutation($id: ID!, $file: Upload!, $awaitMs: Int) {
  uploadImage(id: $id, file: $file, awaitMs: $awaitMs) { id state { current } size }
}`;
const IMAGE_STATE = `subscription($id: ID!) { imageState(id: $id) { id state { current } } }`;
const LIFECYCLE = ['NEW', 'UPLOADING', 'VERIFYING', 'SAVING', 'LIVE'];
const CYCLE_AUTH = { authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`, 'x-hub-id': DEMO_TENANT.cycle.hubId };

async function uploadSource(origin: Record<string, unknown> = {}): Promise<string> {
  const res = await gw.gql(
    `mutation($o: CycleUploadOriginInput!) { createImageSource(input: { name: "uploads", origin: { cycleUpload: $o } }) { id } }`,
    { o: origin },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createImageSource.id;
}

async function newImage(sourceId: string): Promise<string> {
  const res = await gw.gql(
    `mutation($s: ID!) { createImage(input: { sourceId: $s, name: "uploaded" }) { image { id } } }`,
    {
      s: sourceId,
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createImage.image.id;
}

/** The source's token as Cycle holds it: read straight from the sandbox, to look for it in what the gateway says. */
async function tokenOf(sourceId: string): Promise<string> {
  const response = await fetch(`${gw.sandbox.cycle.url}/v1/images/sources/${sourceId}`, { headers: CYCLE_AUTH });
  const token = ((await response.json()) as any).data.origin.details.token as string;
  expect(token.length).toBeGreaterThan(8);
  return token;
}

function upload(id: string, content: Buffer, awaitMs?: number): Promise<GraphQLResponse> {
  return postMultipart(`${gw.url}/graphql`, UPLOAD, { id, file: null, ...(awaitMs ? { awaitMs } : {}) }, [
    { path: 'variables.file', content, filename: 'image.tar', type: 'application/x-tar' },
  ]);
}

describe('uploadImage', () => {
  it('streams an OCI tar to the factory; imageState shows the image to LIVE; the token appears nowhere', async () => {
    const sourceId = await uploadSource();
    const imageId = await newImage(sourceId);
    const token = await tokenOf(sourceId);
    const client = sseClient(gw.url);
    const image = watch(client, IMAGE_STATE, { id: imageId });
    await image.first;
    gw.sandbox.resetRequests();

    const archive = ociImageTar();
    const res = await upload(imageId, archive);
    expect(res.errors).toBeUndefined();
    expect(res.data!.uploadImage.id).toBe(imageId);
    await image.ended;

    const states = image.events.map((e) => e.data?.imageState?.state.current);
    expect(states[0]).toBe('NEW');
    expect(states.at(-1)).toBe('LIVE');
    const order = states.map((s) => LIFECYCLE.indexOf(s));
    expect(
      order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!)),
      states.join(' → '),
    ).toBe(true);

    // What the gateway sent: the image and the source read, then the factory upload with the hub and the token.
    const factory = gw.sandbox.cycle.requests().filter((r) => r.path.endsWith('/upload'));
    expect(factory.map((r) => `${r.method} ${r.path} → ${r.status}`)).toEqual([
      `POST /v1/images/${imageId}/upload → 200`,
    ]);
    expect(new URLSearchParams(factory[0]!.query).get('hub-id')).toBe(DEMO_TENANT.cycle.hubId);
    expect(new URLSearchParams(factory[0]!.query).get('token')).toBe(token);

    const after = await gw.gql(`query($id: ID!) { image(id: $id) { state { current } size } }`, { id: imageId });
    expect(after.data!.image).toEqual({ state: { current: 'LIVE' }, size: archive.length });
    const everything = JSON.stringify([res, image.events, after, gw.logLines]);
    expect(everything).not.toContain(token);
    client.dispose();
  });

  it('waits with awaitMs until the image is LIVE', async () => {
    const imageId = await newImage(await uploadSource());
    const res = await upload(imageId, ociImageTar(), 5_000);
    expect(res.errors).toBeUndefined();
    expect(res.data!.uploadImage.state.current).toBe('LIVE');
  });

  it('an expired token: UNAUTHENTICATED from the factory, saying so, without the token', async () => {
    const expiredToken = 'expired-upload-token-1234567890';
    const sourceId = await uploadSource({ expires: '2020-01-01T00:00:00Z', token: expiredToken });
    const imageId = await newImage(sourceId);
    const res = await upload(imageId, ociImageTar());
    expect(codes(res), JSON.stringify(res.errors)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors![0]!.extensions).toMatchObject({
      upstream: 'cycle',
      status: 401,
      reason: 'UPLOAD_TOKEN_REFUSED',
    });
    expect(res.errors![0]!.message).toMatch(/factory refused the upload.*expired/);
    expect(JSON.stringify([res, gw.logLines])).not.toContain(expiredToken);
    const image = await gw.gql(`query($id: ID!) { image(id: $id) { state { current } } }`, { id: imageId });
    expect(image.data!.image.state.current).toBe('NEW');
  });

  it('an image of another kind of source: BAD_USER_INPUT before any factory request', async () => {
    const images = await gw.gql(`{ images(first: 50) { nodes { id source { origin { __typename } } } } }`);
    const other = images.data!.images.nodes.find(
      (n: any) => n.source && n.source.origin.__typename !== 'CycleUploadOrigin',
    );
    gw.sandbox.resetRequests();
    const res = await upload(other.id, ociImageTar());
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.reason).toBe('NOT_AN_UPLOAD_SOURCE');
    expect(gw.sandbox.cycle.requests().filter((r) => r.path.endsWith('/upload'))).toEqual([]);
  });

  it('a file that is no OCI image layout: the factory refuses it, the image stays NEW', async () => {
    const imageId = await newImage(await uploadSource());
    const res = await upload(imageId, tar({ 'hello.txt': 'not an image' }));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/not an OCI image layout/);
    const image = await gw.gql(`query($id: ID!) { image(id: $id) { state { current } } }`, { id: imageId });
    expect(image.data!.image.state.current).toBe('NEW');
  });
});

describe("the sandbox's factory, over HTTP", () => {
  async function post(
    imageId: string,
    query: string,
    content: Buffer,
    field = 'file.tar',
  ): Promise<{ status: number; body: any }> {
    const form = new FormData();
    form.append(field, new Blob([content], { type: 'application/x-tar' }), 'image.tar');
    const response = await fetch(`${gw.sandbox.cycle.url}/v1/images/${imageId}/upload?${query}`, {
      method: 'POST',
      body: form,
    });
    return { status: response.status, body: await response.json() };
  }

  it('checks the hub and the token, and wants the tar under file.tar', async () => {
    const sourceId = await uploadSource();
    const imageId = await newImage(sourceId);
    const token = await tokenOf(sourceId);
    const hub = DEMO_TENANT.cycle.hubId;
    const wrong = await post(imageId, `hub-id=${hub}&token=not-the-token`, ociImageTar());
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({
      code: '401.auth-invalid',
      detail: 'The upload token is not valid for this image.',
    });
    expect((await post(imageId, `token=${token}`, ociImageTar())).status).toBe(401);
    const noFile = await post(imageId, `hub-id=${hub}&token=${token}`, ociImageTar(), 'file');
    expect(noFile.status).toBe(422);
    const accepted = await post(imageId, `hub-id=${hub}&token=${token}`, ociImageTar());
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.job.id).toMatch(/^[0-9a-f]{24}$/);
    const again = await post(imageId, `hub-id=${hub}&token=${token}`, ociImageTar());
    expect(again.status).toBe(403);
  });
});

describe('the upload bound', () => {
  const bounded = async (gateway: Awaited<ReturnType<typeof startTestGateway>>): Promise<string> => {
    const created = await gateway.gql(
      `mutation { createImageSource(input: { name: "bounded", origin: { cycleUpload: {} } }) { id } }`,
    );
    const image = await gateway.gql(`mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`, {
      s: created.data!.createImageSource.id,
    });
    gateway.sandbox.resetRequests();
    return image.data!.createImage.image.id as string;
  };

  it('a request declaring more than UPLOAD_MAX_BYTES is refused (413) before anything reaches Cycle', async () => {
    const small = await startTestGateway({ env: { UPLOAD_MAX_BYTES: '8192' } });
    try {
      const id = await bounded(small);
      // Beyond the bound plus the room the operations and map parts may take: refused on its declared length.
      const res = await postMultipart(`${small.url}/graphql`, UPLOAD, { id, file: null }, [
        {
          path: 'variables.file',
          content: ociImageTar(3 * 1024 * 1024),
          filename: 'image.tar',
          type: 'application/x-tar',
        },
      ]);
      expect(res.status).toBe(413);
      expect(small.sandbox.cycle.requests()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('a tar that passes UPLOAD_MAX_BYTES while it streams fails the upload, and the image never goes LIVE', async () => {
    const small = await startTestGateway({ env: { UPLOAD_MAX_BYTES: '8192' } });
    try {
      const id = await bounded(small);
      const res = await postMultipart(`${small.url}/graphql`, UPLOAD, { id, file: null }, [
        { path: 'variables.file', content: ociImageTar(64 * 1024), filename: 'image.tar', type: 'application/x-tar' },
      ]);
      expect(codes(res as GraphQLResponse)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(JSON.stringify(res)).toContain('UPLOAD_MAX_BYTES');
      const after = await small.gql(`query($id: ID!) { image(id: $id) { state { current } } }`, { id });
      expect(after.data!.image.state.current).not.toBe('LIVE');
      // The gateway keeps serving.
      expect((await small.gql('{ images(first: 1) { nodes { id } } }')).errors).toBeUndefined();
    } finally {
      await small.close();
    }
  });
});
