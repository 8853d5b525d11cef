/**
 * The Cloud Foundry v3 emulator, write side, over real loopback HTTP: create (both routes) and its validation,
 * copy, update, delete and its job, bits upload and download, droplets per package. Background work takes
 * `jobDurationMs` (40 ms here); tests poll the package or job the way a client would.
 */
import { createHash } from 'node:crypto';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCfEmulator } from '../../src/sandbox/cf/index.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';

type Json = any;

const DEMO = { authorization: `bearer ${DEMO_TENANT.cf.token}` };
const JOB_MS = 100;

let cf: Emulator;
let buildpackApp: Json;
let otherBuildpackApp: Json;
let dockerApp: Json;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = DEMO,
): Promise<{ status: number; body: Json; headers: Headers; text: string }> {
  const init: RequestInit = {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${cf.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers, text };
}

function relationshipTo(appGuid: string) {
  return { app: { data: { guid: appGuid } } };
}

/** Polls until `done(body)` holds, failing after ~40 attempts. */
async function pollUntil(path: string, done: (body: Json) => boolean): Promise<Json> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const { body } = await call('GET', path);
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, JOB_MS / 2));
  }
  throw new Error(`pollUntil: ${path} never reached the expected state`);
}

async function upload(
  guid: string,
  parts: { bits?: Uint8Array; resources?: string; extra?: string },
): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  if (parts.bits) form.append('bits', new Blob([parts.bits]), 'package.zip');
  if (parts.resources !== undefined) form.append('resources', parts.resources);
  if (parts.extra !== undefined) form.append(parts.extra, 'x');
  const response = await fetch(`${cf.url}/v3/packages/${guid}/upload`, { method: 'POST', headers: DEMO, body: form });
  return { status: response.status, body: await response.json() };
}

async function newBitsPackage(appGuid = buildpackApp.guid): Promise<Json> {
  const { status, body } = await call('POST', '/v3/packages', { type: 'bits', relationships: relationshipTo(appGuid) });
  expect(status).toBe(201);
  return body;
}

beforeAll(async () => {
  cf = await startCfEmulator({
    host: '127.0.0.1',
    port: 0,
    tenants: [DEMO_TENANT, SECOND_TENANT],
    jobDurationMs: JOB_MS,
  });
  const apps = (await call('GET', '/v3/apps?per_page=100')).body.resources;
  [buildpackApp, otherBuildpackApp] = apps.filter((a: Json) => a.lifecycle.type === 'buildpack');
  dockerApp = apps.find((a: Json) => a.lifecycle.type === 'docker');
});
afterAll(() => cf.close());

describe('create (§4)', () => {
  it('creates a bits package AWAITING_UPLOAD with upload/download links', async () => {
    const pkg = await newBitsPackage();
    expect(pkg).toMatchObject({
      type: 'bits',
      state: 'AWAITING_UPLOAD',
      data: { checksum: { type: 'sha256', value: null }, error: null },
    });
    expect(pkg.links).toEqual({
      self: { href: `${cf.url}/v3/packages/${pkg.guid}` },
      upload: { href: `${cf.url}/v3/packages/${pkg.guid}/upload`, method: 'POST' },
      download: { href: `${cf.url}/v3/packages/${pkg.guid}/download` },
      app: { href: `${cf.url}/v3/apps/${buildpackApp.guid}` },
    });
    expect(pkg.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await call('GET', `/v3/packages/${pkg.guid}`)).body).toEqual(pkg);
  });

  it('creates a docker package READY, storing the password but presenting "***"', async () => {
    const { status, body } = await call('POST', '/v3/packages', {
      type: 'docker',
      relationships: relationshipTo(dockerApp.guid),
      data: { image: 'quay.io/acme/api:1.0.0', username: 'robot', password: 'hunter2' },
      metadata: { labels: { team: 'payments' }, annotations: { note: 'hi' } },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      type: 'docker',
      state: 'READY',
      data: { image: 'quay.io/acme/api:1.0.0', username: 'robot', password: '***' },
    });
    expect(body.metadata).toEqual({ labels: { team: 'payments' }, annotations: { note: 'hi' } });
    expect(Object.keys(body.links)).toEqual(['self', 'app']);
    expect(JSON.stringify((await call('GET', '/v3/packages?per_page=5000')).body)).not.toContain('hunter2');
  });

  it('refuses invalid bodies with 422 and every problem in the detail', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'bits', relationships: relationshipTo(buildpackApp.guid), colour: 'red' }, "Unknown field(s): 'colour'"],
      [{ relationships: relationshipTo(buildpackApp.guid) }, "Type must be one of 'bits, docker'"],
      [{ type: 'bits' }, "Relationships 'relationships' is not an object"],
      [{ type: 'bits', relationships: { app: { guid: 'x' } } }, 'Relationships App must be structured like this'],
      [{ type: 'docker', relationships: relationshipTo(dockerApp.guid) }, 'Data Image required'],
      [
        { type: 'docker', relationships: relationshipTo(dockerApp.guid), data: { image: 'a', token: 'b' } },
        "Data Unknown field(s): 'token'",
      ],
      [
        { type: 'bits', relationships: relationshipTo(buildpackApp.guid), data: { image: 'x' } },
        'Data must be empty if provided for bits packages',
      ],
      [
        { type: 'bits', relationships: relationshipTo(buildpackApp.guid), metadata: { labels: { 'bad key!': 'v' } } },
        'Metadata label key error',
      ],
    ];
    for (const [body, detail] of cases) {
      const response = await call('POST', '/v3/packages', body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.errors[0]).toMatchObject({ code: 10008, title: 'CF-UnprocessableEntity' });
      expect(response.body.errors[0].detail).toContain(detail);
    }
    const both = await call('POST', '/v3/packages', { colour: 'red' });
    expect(both.body.errors[0].detail).toBe(
      "Unknown field(s): 'colour', Relationships 'relationships' is not an object, Type must be one of 'bits, docker'",
    );
  });

  it('refuses a missing app and a package type the app’s lifecycle cannot take', async () => {
    const missing = await call('POST', '/v3/packages', {
      type: 'bits',
      relationships: relationshipTo('00000000-0000-4000-8000-000000000000'),
    });
    expect([missing.status, missing.body.errors[0].detail]).toEqual([
      422,
      'App is invalid. Ensure it exists and you have access to it.',
    ]);
    const dockerOnBuildpack = await call('POST', '/v3/packages', {
      type: 'docker',
      relationships: relationshipTo(buildpackApp.guid),
      data: { image: 'x:1' },
    });
    expect(dockerOnBuildpack.body.errors[0].detail).toBe('Cannot create Docker package for a buildpack app.');
    const bitsOnDocker = await call('POST', '/v3/packages', {
      type: 'bits',
      relationships: relationshipTo(dockerApp.guid),
    });
    expect(bitsOnDocker.body.errors[0].detail).toBe('Cannot create bits package for a Docker app.');
  });

  it('answers a body that is not JSON with 400 CF-MessageParseError', async () => {
    const { status, body } = await call('POST', '/v3/packages', '{"type": ');
    expect(status).toBe(400);
    expect(body.errors[0]).toEqual({
      code: 1001,
      title: 'CF-MessageParseError',
      detail: 'Request invalid due to parse error: invalid request body',
    });
  });

  it('also creates through the early-v3 POST /v3/apps/:guid/packages: the body and answer of seeds 000/001', async () => {
    const { status, body } = await call('POST', `/v3/apps/${buildpackApp.guid}/packages`, { type: 'bits' });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      type: 'bits',
      state: 'AWAITING_UPLOAD',
      data: { hash: { type: 'sha1', value: null }, error: null },
      links: { app: { href: `${cf.url}/v3/apps/${buildpackApp.guid}` } },
    });
    expect(body).not.toHaveProperty('relationships');
    // Seed 000's request body, verbatim; its answer's shape (the password echoed, as that API did).
    const seedBody = {
      type: 'docker',
      data: {
        image: 'registry/image:latest',
        credentials: {
          user: 'user name',
          password: 'very secret password',
          email: 'root@admin.example.com',
          login_server: 'https://index.docker.io/v1',
        },
        store_image: true,
      },
    };
    const docker = await call('POST', `/v3/apps/${dockerApp.guid}/packages`, seedBody);
    expect(docker.status).toBe(201);
    expect(docker.body).toEqual({
      guid: expect.any(String),
      type: 'docker',
      data: {
        hash: { type: 'sha1', value: null },
        error: null,
        image: 'registry/image:latest',
        credentials: {
          user: 'user name',
          email: 'root@admin.example.com',
          password: 'very secret password',
          login_server: 'https://index.docker.io/v1',
        },
        store_image: true,
      },
      state: 'READY',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: null,
      links: {
        self: { href: `${cf.url}/v3/packages/${docker.body.guid}` },
        app: { href: `${cf.url}/v3/apps/${dockerApp.guid}` },
      },
    });
    // Every later read presents it as the early-v3 controller that holds it would (docs/upstream-notes.md).
    const read = await call('GET', `/v3/packages/${docker.body.guid}`);
    expect(read.body).toEqual(docker.body);
    // Seed 000's route with its own `guid-…` form of the docs' example app.
    const seedRoute = await call('POST', '/v3/apps/guid-d8b8148d-5798-44de-821a-64b85b15e968/packages', seedBody);
    expect(seedRoute.status).toBe(201);
    expect(seedRoute.body.links.app.href).toBe(`${cf.url}/v3/apps/d8b8148d-5798-44de-821a-64b85b15e968`);

    const missing = await call('POST', '/v3/apps/00000000-0000-4000-8000-000000000000/packages', { type: 'bits' });
    expect([missing.status, missing.body.errors[0].detail]).toEqual([404, 'App not found']);
    const refusals: [unknown, string][] = [
      [{ type: 'bits', relationships: relationshipTo(buildpackApp.guid) }, "Unknown field(s): 'relationships'"],
      [{ type: 'bits', metadata: {} }, "Unknown field(s): 'metadata'"],
      [{ type: 'docker', data: { image: 'a/b', username: 'u' } }, "Data Unknown field(s): 'username'"],
      [
        { type: 'docker', data: { image: 'a/b', credentials: { token: 't' } } },
        "Data Credentials Unknown field(s): 'token'",
      ],
      [{ type: 'docker', data: { image: 'a/b', store_image: 'yes' } }, 'Data Store image must be a boolean'],
    ];
    for (const [refused, detail] of refusals) {
      const res = await call('POST', `/v3/apps/${dockerApp.guid}/packages`, refused);
      expect([res.status, res.body.errors[0].detail]).toEqual([422, detail]);
    }
    expect((await call('POST', `/v3/apps/${dockerApp.guid}/packages`, { type: 'bits' })).body.errors[0].detail).toBe(
      'Cannot create bits package for a Docker app.',
    );
  });

  it('cannot create in another tenant’s app', async () => {
    const { status, body } = await call(
      'POST',
      '/v3/packages',
      { type: 'bits', relationships: relationshipTo(buildpackApp.guid) },
      { authorization: `bearer ${SECOND_TENANT.cf.token}` },
    );
    expect([status, body.errors[0].detail]).toEqual([
      422,
      'App is invalid. Ensure it exists and you have access to it.',
    ]);
  });
});

describe('update (§4)', () => {
  it('deep-merges metadata; null deletes a key', async () => {
    const pkg = (
      await call('POST', '/v3/packages', {
        type: 'bits',
        relationships: relationshipTo(buildpackApp.guid),
        metadata: { labels: { env: 'dev', keep: 'yes' }, annotations: { a: '1' } },
      })
    ).body;
    const { status, body } = await call('PATCH', `/v3/packages/${pkg.guid}`, {
      metadata: { labels: { env: 'prod', keep: null }, annotations: { b: '2' } },
    });
    expect(status).toBe(200);
    expect(body.metadata).toEqual({ labels: { env: 'prod' }, annotations: { a: '1', b: '2' } });
    expect((await call('GET', `/v3/packages?label_selector=env%3Dprod&guids=${pkg.guid}`)).body.resources).toHaveLength(
      1,
    );
  });

  it('updates docker credentials (top-level username/password), refuses them on bits', async () => {
    const docker = (
      await call('POST', '/v3/packages', {
        type: 'docker',
        relationships: relationshipTo(dockerApp.guid),
        data: { image: 'acme/cron:v3' },
      })
    ).body;
    expect(docker.data).toMatchObject({ username: null, password: null });
    const updated = await call('PATCH', `/v3/packages/${docker.guid}`, { username: 'bot', password: 's3cret' });
    expect(updated.body.data).toEqual({ image: 'acme/cron:v3', username: 'bot', password: '***' });
    const bits = await newBitsPackage();
    const refused = await call('PATCH', `/v3/packages/${bits.guid}`, { username: 'bot' });
    expect([refused.status, refused.body.errors[0].detail]).toEqual([
      422,
      'Cannot update Docker credentials for a buildpack app.',
    ]);
    expect((await call('PATCH', `/v3/packages/${bits.guid}`, { data: {} })).body.errors[0].detail).toBe(
      "Unknown field(s): 'data'",
    );
    expect((await call('PATCH', '/v3/packages/00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
  });
});

describe('delete and jobs (§2, §7)', () => {
  it('answers 202 with an empty body and the job’s Location; the job completes and the package is gone', async () => {
    const pkg = await newBitsPackage();
    const deleted = await call('DELETE', `/v3/packages/${pkg.guid}`);
    expect(deleted.status).toBe(202);
    expect(deleted.text).toBe('');
    const location = deleted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${cf.url}/v3/jobs/[0-9a-f-]{36}$`));
    const jobPath = location.slice(cf.url.length);

    const processing = (await call('GET', jobPath)).body;
    expect(processing).toMatchObject({ operation: 'package.delete', state: 'PROCESSING', errors: [], warnings: [] });
    expect(processing.links).toEqual({
      self: { href: location },
      package: { href: `${cf.url}/v3/packages/${pkg.guid}` },
    });
    expect((await call('GET', `/v3/packages/${pkg.guid}`)).status).toBe(200);

    const complete = await pollUntil(jobPath, (job) => job.state !== 'PROCESSING');
    expect(complete.state).toBe('COMPLETE');
    expect(complete.links).toEqual({ self: { href: location } });
    expect((await call('GET', `/v3/packages/${pkg.guid}`)).status).toBe(404);
  });

  it('answers an unknown job with 404 and hides jobs from other tenants', async () => {
    const missing = await call('GET', '/v3/jobs/00000000-0000-4000-8000-000000000000');
    expect([missing.status, missing.body.errors[0].detail]).toEqual([404, 'Job not found']);
    const location = (await call('DELETE', `/v3/packages/${(await newBitsPackage()).guid}`)).headers.get('location')!;
    expect(
      (
        await call('GET', location.slice(cf.url.length), undefined, {
          authorization: `bearer ${SECOND_TENANT.cf.token}`,
        })
      ).status,
    ).toBe(404);
  });
});

describe('copy (§4)', () => {
  it('copies bits: COPYING, then READY with the source’s checksum', async () => {
    const source = (await call('GET', '/v3/packages?states=READY&types=bits&per_page=1')).body.resources[0];
    const destination = [buildpackApp, otherBuildpackApp].find((a) => a.guid !== source.relationships.app.data.guid);
    const { status, body } = await call('POST', `/v3/packages?source_guid=${source.guid}`, {
      relationships: relationshipTo(destination.guid),
    });
    expect([status, body.state, body.type]).toEqual([201, 'COPYING', 'bits']);
    expect(body.relationships.app.data.guid).toBe(destination.guid);
    const ready = await pollUntil(`/v3/packages/${body.guid}`, (p) => p.state !== 'COPYING');
    expect(ready.state).toBe('READY');
    const sourceBits = new Uint8Array(
      await (await fetch(`${cf.url}/v3/packages/${source.guid}/download`, { headers: DEMO })).arrayBuffer(),
    );
    expect(ready.data.checksum).toEqual({
      type: 'sha256',
      value: createHash('sha256').update(sourceBits).digest('hex'),
    });
  });

  it('copies docker packages READY at once, and refuses a bad source or destination', async () => {
    const source = (await call('GET', '/v3/packages?types=docker&per_page=50')).body.resources.find(
      (p: Json) => p.relationships.app.data.guid !== dockerApp.guid,
    );
    const copy = await call('POST', `/v3/packages?source_guid=${source.guid}`, {
      relationships: relationshipTo(dockerApp.guid),
    });
    expect([copy.status, copy.body.state, copy.body.data.image]).toEqual([201, 'READY', source.data.image]);
    const badSource = await call('POST', '/v3/packages?source_guid=00000000-0000-4000-8000-000000000000', {
      relationships: relationshipTo(dockerApp.guid),
    });
    expect([badSource.status, badSource.body.errors[0].detail]).toEqual([
      422,
      'Source package is invalid. Ensure it exists and you have access to it.',
    ]);
    const badApp = await call('POST', `/v3/packages?source_guid=${source.guid}`, {
      relationships: relationshipTo('00000000-0000-4000-8000-000000000000'),
    });
    expect(badApp.body.errors[0].detail).toBe('App is invalid. Ensure it exists and you have access to it.');
  });
});

describe('upload and download (§4)', () => {
  const zip = zipSync({ 'app.rb': new TextEncoder().encode("puts 'hi'\n") });

  it('uploads a zip: 200 PROCESSING_UPLOAD, then READY with the sha256 of the bytes; download returns them', async () => {
    const pkg = await newBitsPackage();
    const { status, body } = await upload(pkg.guid, { bits: zip, resources: '[]' });
    expect([status, body.state]).toEqual([200, 'PROCESSING_UPLOAD']);
    const ready = await pollUntil(`/v3/packages/${pkg.guid}`, (p) => p.state !== 'PROCESSING_UPLOAD');
    expect(ready.state).toBe('READY');
    expect(ready.data.checksum).toEqual({ type: 'sha256', value: createHash('sha256').update(zip).digest('hex') });
    const download = await fetch(`${cf.url}/v3/packages/${pkg.guid}/download`, { headers: DEMO });
    expect([download.status, download.headers.get('content-type')]).toEqual([200, 'application/zip']);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(zip);

    const again = await upload(pkg.guid, { bits: zip });
    expect(again.status).toBe(400);
    expect(again.body.errors[0]).toEqual({
      code: 150004,
      title: 'CF-PackageBitsAlreadyUploaded',
      detail: 'Bits may be uploaded only once. Create a new package to upload different bits.',
    });
  });

  it('fails a package whose bits are not a zip, with data.error', async () => {
    const pkg = await newBitsPackage();
    expect((await upload(pkg.guid, { bits: new TextEncoder().encode('not a zip') })).status).toBe(200);
    const failed = await pollUntil(`/v3/packages/${pkg.guid}`, (p) => p.state !== 'PROCESSING_UPLOAD');
    expect(failed).toMatchObject({
      state: 'FAILED',
      data: { error: 'The app upload is invalid: Invalid zip archive.', checksum: { value: null } },
    });
  });

  it('builds the package from resources alone', async () => {
    const pkg = await newBitsPackage();
    const resources = JSON.stringify([
      {
        path: 'app.rb',
        size_in_bytes: 9,
        checksum: { value: 'b907173290db6a155949ab4dc9b2d019dea0c901' },
        mode: '644',
      },
    ]);
    expect((await upload(pkg.guid, { resources })).status).toBe(200);
    await pollUntil(`/v3/packages/${pkg.guid}`, (p) => p.state === 'READY');
    const bytes = new Uint8Array(
      await (await fetch(`${cf.url}/v3/packages/${pkg.guid}/download`, { headers: DEMO })).arrayBuffer(),
    );
    expect(Object.keys(unzipSync(bytes))).toEqual(['app.rb']);
  });

  it('refuses uploads without fields, with unknown fields, to docker packages, and to missing packages', async () => {
    const pkg = await newBitsPackage();
    const empty = await upload(pkg.guid, {});
    expect([empty.status, empty.body.errors[0].detail]).toEqual([422, 'Upload must include either resources or bits']);
    expect((await upload(pkg.guid, { bits: zip, extra: 'colour' })).body.errors[0].detail).toBe(
      "Unknown field(s): 'colour'",
    );
    expect((await upload(pkg.guid, { resources: '{"not": "an array"}' })).status).toBe(422);
    const docker = (await call('GET', '/v3/packages?types=docker&per_page=1')).body.resources[0];
    const refused = await upload(docker.guid, { bits: zip });
    expect([refused.status, refused.body.errors[0].detail]).toEqual([422, 'Package type must be bits.']);
    expect((await upload('00000000-0000-4000-8000-000000000000', { bits: zip })).status).toBe(404);
    expect((await call('POST', `/v3/packages/${pkg.guid}/upload`, { bits: 'x' })).body.errors[0].detail).toBe(
      'Upload must include either resources or bits',
    );
  });

  it('downloads seeded READY bits as a zip matching its checksum; refuses the rest with 422', async () => {
    const ready = (await call('GET', '/v3/packages?states=READY&types=bits&per_page=50')).body.resources.find(
      (p: Json) => p.data.checksum.type === 'sha256',
    );
    const bytes = new Uint8Array(
      await (await fetch(`${cf.url}/v3/packages/${ready.guid}/download`, { headers: DEMO })).arrayBuffer(),
    );
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ready.data.checksum.value);
    expect(Object.keys(unzipSync(bytes))).toContain('manifest.yml');
    for (const state of ['AWAITING_UPLOAD', 'EXPIRED', 'FAILED']) {
      const pkg = (await call('GET', `/v3/packages?states=${state}&types=bits&per_page=1`)).body.resources[0];
      const refused = await call('GET', `/v3/packages/${pkg.guid}/download`);
      expect([refused.status, refused.body.errors[0].detail], state).toEqual([422, 'Package has no bits to download.']);
    }
    const docker = (await call('GET', '/v3/packages?types=docker&per_page=1')).body.resources[0];
    expect((await call('GET', `/v3/packages/${docker.guid}/download`)).body.errors[0].detail).toBe(
      'Package type must be bits.',
    );
  });
});

describe('droplets per package (§4)', () => {
  it('lists a package’s droplets with filters, paging and list redaction', async () => {
    const packages = (await call('GET', '/v3/packages?states=READY&per_page=5000')).body.resources;
    let found: { pkg: Json; droplets: Json } | undefined;
    for (const pkg of packages) {
      const droplets = (await call('GET', `/v3/packages/${pkg.guid}/droplets`)).body;
      if (droplets.pagination.total_results >= 2) {
        found = { pkg, droplets };
        break;
      }
    }
    expect(found).toBeDefined();
    const { pkg, droplets } = found!;
    for (const d of droplets.resources) {
      expect(d.links.package).toEqual({ href: `${cf.url}/v3/packages/${pkg.guid}` });
      expect(d.relationships.app.data.guid).toBe(pkg.relationships.app.data.guid);
      expect(d.execution_metadata).toBe('[PRIVATE DATA HIDDEN IN LISTS]');
      expect(d.lifecycle.type).toBe(pkg.type === 'bits' ? 'buildpack' : 'docker');
    }
    const state = droplets.resources[0].state;
    const filtered = (await call('GET', `/v3/packages/${pkg.guid}/droplets?states=${state}&per_page=1`)).body;
    for (const d of filtered.resources) expect(d.state).toBe(state);
    expect(filtered.pagination.first.href).toBe(
      `${cf.url}/v3/packages/${pkg.guid}/droplets?page=1&per_page=1&states=${state}`,
    );
    expect((await call('GET', `/v3/packages/${pkg.guid}/droplets?types=bits`)).status).toBe(400);
    expect(
      (await call('GET', '/v3/packages/00000000-0000-4000-8000-000000000000/droplets')).body.errors[0].detail,
    ).toBe('Package not found');
  });
});
