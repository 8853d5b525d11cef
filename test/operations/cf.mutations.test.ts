import { createHash, randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { postMultipart } from '../helpers/multipart.js';

let gw: TestGateway;
let buildpackApps: { guid: string; name: string }[];
let dockerApp: { guid: string; name: string };

beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { jobDurationMs: 60 } });
  const apps = await gw.gql(`{ apps(first: 100) { nodes { guid name lifecycle { type } } } }`);
  buildpackApps = apps.data!.apps.nodes.filter((a: any) => a.lifecycle.type === 'buildpack');
  dockerApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'docker');
});
afterAll(() => gw.close());
beforeEach(() => gw.sandbox.resetRequests());

const cfRequests = () => gw.sandbox.cf.requests().map((r) => `${r.method} ${r.path}`);

const UPLOAD = `mutation($guid: ID!, $bits: Upload, $resources: [PackageResourceInput!], $awaitMs: Int) {
  uploadPackageBits(guid: $guid, bits: $bits, resources: $resources, awaitMs: $awaitMs) { guid state bits { checksum { type value } error } } }`;

async function createBitsPackage(appGuid = buildpackApps[0]!.guid): Promise<string> {
  const res = await gw.gql(
    `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: BITS }) { guid type state } }`,
    { app: appGuid },
  );
  expect(res.data!.createPackage).toMatchObject({ type: 'BITS', state: 'AWAITING_UPLOAD' });
  return res.data!.createPackage.guid;
}

function appZip(): Uint8Array {
  return zipSync({
    'app.rb': strToU8('run ->(env) { [200, {}, ["hello"]] }\n'),
    Gemfile: strToU8("source 'https://rubygems.org'\n"),
  });
}

describe('createPackage', () => {
  it('creates a docker package READY, showing the user but never the password', async () => {
    const res = await gw.gql(
      `mutation($i: CreatePackageInput!) { createPackage(input: $i) { guid type state docker { image username hasPassword } metadata { labels { key value } } app { name } } }`,
      {
        i: {
          appGuid: dockerApp.guid,
          type: 'DOCKER',
          docker: { image: 'quay.io/acme/api:9.9.9', username: 'robot', password: 'create-pw-123' },
          metadata: { labels: [{ key: 'team', value: 'qa' }] },
        },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createPackage).toMatchObject({
      type: 'DOCKER',
      state: 'READY',
      docker: { image: 'quay.io/acme/api:9.9.9', username: 'robot', hasPassword: true },
      metadata: { labels: [{ key: 'team', value: 'qa' }] },
      app: { name: dockerApp.name },
    });
    expect(JSON.stringify(res)).not.toContain('create-pw-123');
    expect(cfRequests()[0]).toBe('POST /v3/packages');
  });

  it('maps CF 422 to BAD_USER_INPUT with CF detail', async () => {
    const res = await gw.gql(
      `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: DOCKER, docker: { image: "nginx" } }) { guid } }`,
      { app: buildpackApps[0]!.guid },
    );
    expect(res.data!.createPackage).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstream: 'cf',
      status: 422,
      upstreamCode: 'CF-UnprocessableEntity',
    });
    expect(res.errors![0]!.message).toContain('Cannot create Docker package for a buildpack app.');
  });

  it('refuses a DOCKER package without an image, and an app guid CF could not be sent, before any request', async () => {
    const noImage = await gw.gql(
      `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: DOCKER }) { guid } }`,
      { app: dockerApp.guid },
    );
    const badGuid = await gw.gql(`mutation { createPackage(input: { appGuid: "a,b", type: BITS }) { guid } }`);
    expect(codes(noImage)).toEqual(['BAD_USER_INPUT']);
    expect(codes(badGuid)).toEqual(['BAD_USER_INPUT']);
    expect(cfRequests()).toEqual([]);
  });
});

describe('uploadPackageBits', () => {
  it('takes a bits package to READY through a multipart upload, and serves the same bytes back', async () => {
    const guid = await createBitsPackage();
    const zip = appZip();
    const res = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null, awaitMs: 5000 }, [
      { path: 'variables.bits', content: zip, filename: 'app.zip' },
    ]);
    expect(res.errors).toBeUndefined();
    const sha256 = createHash('sha256').update(zip).digest('hex');
    expect(res.data!.uploadPackageBits).toEqual({
      guid,
      state: 'READY',
      bits: { checksum: { type: 'sha256', value: sha256 }, error: null },
    });
    expect(cfRequests()).toContain(`POST /v3/packages/${guid}/upload`);
    const archive = await gw.gql(`query($g: ID!) { packageArchive(guid: $g) { sha256 contentBase64 } }`, { g: guid });
    expect(archive.data!.packageArchive.sha256).toBe(sha256);
    expect(Buffer.from(archive.data!.packageArchive.contentBase64, 'base64').equals(Buffer.from(zip))).toBe(true);
  });

  it('streams an 8 MB zip through in well under the test timeout', async () => {
    const guid = await createBitsPackage();
    const zip = zipSync({ 'blob.bin': randomBytes(8 * 1024 * 1024) }, { level: 0 });
    const started = performance.now();
    const res = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null, awaitMs: 5000 }, [
      { path: 'variables.bits', content: zip, filename: 'big.zip' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.uploadPackageBits.state).toBe('READY');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('answers PROCESSING_UPLOAD without awaitMs; a second upload is CF 400 CF-PackageBitsAlreadyUploaded', async () => {
    const guid = await createBitsPackage();
    const first = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null }, [
      { path: 'variables.bits', content: appZip(), filename: 'a.zip' },
    ]);
    expect(first.data!.uploadPackageBits.state).toBe('PROCESSING_UPLOAD');
    const second = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null }, [
      { path: 'variables.bits', content: appZip(), filename: 'a.zip' },
    ]);
    expect(second.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 400,
      upstreamCode: 'CF-PackageBitsAlreadyUploaded',
    });
  });

  it('uploads a resources list alone (files CF already has)', async () => {
    const guid = await createBitsPackage();
    const res = await gw.gql(UPLOAD, {
      guid,
      resources: [{ path: 'app.rb', sizeInBytes: 36, sha1: 'b907173290db6a155949ab4dc9b2d019dea0c901', mode: '644' }],
      awaitMs: 5000,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.uploadPackageBits.state).toBe('READY');
  });

  it('marks a package FAILED when the bits are not a zip', async () => {
    const guid = await createBitsPackage();
    const res = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null, awaitMs: 5000 }, [
      { path: 'variables.bits', content: strToU8('not a zip'), filename: 'x.zip' },
    ]);
    expect(res.data!.uploadPackageBits).toMatchObject({
      state: 'FAILED',
      bits: { error: expect.stringContaining('Invalid zip') },
    });
  });

  it('refuses a multipart request without a CSRF preflight header, before reading or forwarding anything', async () => {
    const guid = await createBitsPackage();
    gw.sandbox.resetRequests();
    const res = await postMultipart(
      `${gw.url}/graphql`,
      UPLOAD,
      { guid, bits: null },
      [{ path: 'variables.bits', content: appZip(), filename: 'app.zip' }],
      {},
    );
    expect(res.status).toBe(400);
    expect(res.errors![0]!.message).toMatch(/Cross-Site Request Forgery/);
    expect(cfRequests()).toEqual([]);
    const withOperationName = await postMultipart(
      `${gw.url}/graphql`,
      UPLOAD,
      { guid, bits: null },
      [{ path: 'variables.bits', content: appZip(), filename: 'app.zip' }],
      {
        'x-apollo-operation-name': 'Upload',
      },
    );
    expect(withOperationName.errors).toBeUndefined();
  });

  it('refuses malformed multipart requests and uploads that are not files', async () => {
    const guid = await createBitsPackage();
    gw.sandbox.resetRequests();
    const badPath = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null }, [
      { path: 'variables.__proto__.x', content: appZip(), filename: 'a.zip' },
    ]);
    expect(badPath.status).toBe(400);
    const notAFile = await gw.gql(UPLOAD, { guid, bits: 'UEsDBA==' });
    expect(codes(notAFile)).toEqual(['BAD_USER_INPUT']);
    const nothing = await gw.gql(UPLOAD, { guid });
    expect(codes(nothing)).toEqual(['BAD_USER_INPUT']);
    expect(cfRequests()).toEqual([]);
  });
});

describe('updatePackage', () => {
  it('merges metadata changes, deleting keys set to null', async () => {
    const guid = await createBitsPackage();
    const set = await gw.gql(
      `mutation($g: ID!) { updatePackage(guid: $g, input: { metadata: { labels: [{ key: "tier", value: "web" }, { key: "env", value: "dev" }], annotations: [{ key: "note", value: "hi" }] } }) { metadata { labels { key value } annotations { key value } } } }`,
      { g: guid },
    );
    expect(set.errors).toBeUndefined();
    const removed = await gw.gql(
      `mutation($g: ID!) { updatePackage(guid: $g, input: { metadata: { labels: [{ key: "tier", value: null }] } }) { metadata { labels { key value } annotations { key } } } }`,
      { g: guid },
    );
    expect(removed.data!.updatePackage.metadata).toEqual({
      labels: [{ key: 'env', value: 'dev' }],
      annotations: [{ key: 'note' }],
    });
  });

  it('changes a docker package’s registry credentials; CF refuses them on a bits package (422)', async () => {
    const created = await gw.gql(
      `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: DOCKER, docker: { image: "acme/worker:1" } }) { guid docker { hasPassword } } }`,
      { app: dockerApp.guid },
    );
    expect(created.data!.createPackage.docker.hasPassword).toBe(false);
    const updated = await gw.gql(
      `mutation($g: ID!) { updatePackage(guid: $g, input: { username: "new-user", password: "update-pw-456" }) { docker { username hasPassword } } }`,
      { g: created.data!.createPackage.guid },
    );
    expect(updated.data!.updatePackage.docker).toEqual({ username: 'new-user', hasPassword: true });
    expect(JSON.stringify(updated)).not.toContain('update-pw-456');
    const bits = await createBitsPackage();
    const refused = await gw.gql(`mutation($g: ID!) { updatePackage(guid: $g, input: { password: "x" }) { guid } }`, {
      g: bits,
    });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    expect(refused.errors![0]!.message).toContain('Cannot update Docker credentials for a buildpack app.');
  });
});

describe('deletePackage and CF jobs', () => {
  it('returns the package.delete job, readable later with job(id), and awaits it with awaitMs', async () => {
    const guid = await createBitsPackage();
    const started = await gw.gql(
      `mutation($g: ID!) { deletePackage(guid: $g) { __typename id platform state upstreamState done operation progress { totalSteps } } }`,
      { g: guid },
    );
    expect(started.errors).toBeUndefined();
    expect(started.data!.deletePackage).toMatchObject({
      __typename: 'CfJob',
      platform: 'CLOUD_FOUNDRY',
      state: 'RUNNING',
      upstreamState: 'PROCESSING',
      done: false,
      operation: 'package.delete',
      progress: null,
    });
    const jobId = started.data!.deletePackage.id;
    const now = await gw.gql(
      `query($id: ID!) { job(id: $id) { __typename state ... on CfJob { package { guid } warnings } } }`,
      { id: jobId },
    );
    expect(now.data!.job).toMatchObject({ __typename: 'CfJob', state: 'RUNNING', package: { guid }, warnings: [] });
    await new Promise((r) => setTimeout(r, 150));
    const later = await gw.gql(
      `query($id: ID!, $g: ID!) { job(id: $id) { state done completedAt errors { message } ... on CfJob { package { guid } } } package(guid: $g) { guid } }`,
      { id: jobId, g: guid },
    );
    expect(later.data!.job).toMatchObject({
      state: 'SUCCEEDED',
      done: true,
      completedAt: expect.any(String),
      errors: [],
      package: null,
    });
    expect(later.data!.package).toBeNull();

    const other = await createBitsPackage();
    const awaited = await gw.gql(`mutation($g: ID!) { deletePackage(guid: $g, awaitMs: 5000) { state done } }`, {
      g: other,
    });
    expect(awaited.data!.deletePackage).toEqual({ state: 'SUCCEEDED', done: true });
    expect(cfRequests().filter((r) => r.startsWith('GET /v3/jobs/')).length).toBeGreaterThan(0);
  });

  it('reads an unknown CF job id as null, and maps a delete of an unknown package to NOT_FOUND', async () => {
    const res = await gw.gql(`{ job(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.job).toBeNull();
    const gone = await gw.gql(`mutation { deletePackage(guid: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(gone.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamCode: 'CF-ResourceNotFound' });
  });
});

describe('copyPackage', () => {
  it('copies a READY bits package to another app and awaits COPYING → READY', async () => {
    const source = await gw.gql(
      `{ packages(first: 1, filter: { types: [BITS], states: [READY] }) { nodes { guid appGuid bits { checksum { value } } } } }`,
    );
    const { guid, appGuid } = source.data!.packages.nodes[0];
    const target = buildpackApps.find((a) => a.guid !== appGuid)!;
    const res = await gw.gql(
      `mutation($s: ID!, $a: ID!) { copyPackage(sourceGuid: $s, appGuid: $a, awaitMs: 5000) { guid state appGuid bits { checksum { value } } } }`,
      { s: guid, a: target.guid },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.copyPackage).toMatchObject({ state: 'READY', appGuid: target.guid });
    expect(res.data!.copyPackage.guid).not.toBe(guid);
    expect(gw.sandbox.cf.requests().find((r) => r.method === 'POST')!.query).toBe(`source_guid=${guid}`);
  });

  it('answers a bits copy COPYING without awaitMs, and CF 422 for an unknown source', async () => {
    const source = await gw.gql(
      `{ packages(first: 1, filter: { types: [BITS], states: [READY] }) { nodes { guid appGuid } } }`,
    );
    const { guid, appGuid } = source.data!.packages.nodes[0];
    const target = buildpackApps.find((a) => a.guid !== appGuid)!;
    const copying = await gw.gql(`mutation($s: ID!, $a: ID!) { copyPackage(sourceGuid: $s, appGuid: $a) { state } }`, {
      s: guid,
      a: target.guid,
    });
    expect(copying.data!.copyPackage.state).toBe('COPYING');
    const bad = await gw.gql(
      `mutation($a: ID!) { copyPackage(sourceGuid: "00000000-0000-4000-8000-000000000000", appGuid: $a) { guid } }`,
      { a: target.guid },
    );
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    expect(bad.errors![0]!.message).toContain('Source package is invalid');
  });
});

describe('configuration', () => {
  let legacy: TestGateway;
  beforeAll(async () => {
    legacy = await startTestGateway({ env: { CF_LEGACY_APP_PACKAGES_ROUTE: 'true', UPLOAD_MAX_BYTES: '4096' } });
  });
  afterAll(() => legacy.close());

  it('creates packages through the early-v3 POST /v3/apps/:guid/packages when CF_LEGACY_APP_PACKAGES_ROUTE is on', async () => {
    const res = await legacy.gql(
      `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: DOCKER, docker: { image: "acme/worker:2" } }) { state app { guid } } }`,
      { app: dockerApp.guid },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createPackage).toEqual({ state: 'READY', app: { guid: dockerApp.guid } });
    expect(legacy.sandbox.cf.requests().map((r) => `${r.method} ${r.path}`)).toContain(
      `POST /v3/apps/${dockerApp.guid}/packages`,
    );
  });

  it('refuses uploads above UPLOAD_MAX_BYTES with 413, forwarding nothing', async () => {
    const created = await legacy.gql(
      `mutation($app: ID!) { createPackage(input: { appGuid: $app, type: BITS }) { guid } }`,
      { app: buildpackApps[0]!.guid },
    );
    legacy.sandbox.resetRequests();
    const big = new Uint8Array(10_000).fill(7);
    const res = await postMultipart(
      `${legacy.url}/graphql`,
      UPLOAD,
      { guid: created.data!.createPackage.guid, bits: null },
      [{ path: 'variables.bits', content: big, filename: 'big.zip' }],
    );
    expect(res.status).toBe(413);
    expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(legacy.sandbox.cf.requests()).toEqual([]);
  });
});
