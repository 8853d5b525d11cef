/**
 * Every Cloud Foundry emulator endpoint's responses, success and error, validated against Cloud Controller's own
 * OpenAPI schemas (the vendored bundle of cloud_controller_ng `docs/openapi`, cf-v3-packages-jobs.bundled.yaml) and
 * error catalogue (errors-v2.yml).
 *
 * Where the emulator answers a status the experimental spec does not document (its gaps: 400 on upload and on the
 * app-scoped and droplet lists, 200/401/422 on download — CC's local blobstore answers 200, the spec only knows the
 * remote 302), the test asserts that the spec indeed has no such response and validates the body against the spec's
 * own `Errors` schema. The early-v3 `POST /v3/apps/{guid}/packages` is not in the spec; its 201 bodies are checked
 * against a JSON schema written here from the project's seeds 000/001 (the early-v3 "Create a Package" example
 * response), its errors against the spec's `Errors`. Apps are not in the bundle either: they are checked against a
 * JSON schema written here from the CF v3 docs ("The app object"). The last block proves the validators bite.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { CF_ERROR_CATALOGUE } from '../../src/sandbox/cf/errors.js';
import { startCfEmulator } from '../../src/sandbox/cf/index.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';
import { OpenApiContract } from './openapi.js';

type Json = any;

const SPEC = fileURLToPath(new URL('./specs/cf/cf-v3-packages-jobs.bundled.yaml', import.meta.url));
const CATALOGUE = fileURLToPath(new URL('./specs/cf/errors-v2.yml', import.meta.url));
const DEMO = { authorization: `bearer ${DEMO_TENANT.cf.token}` };
const NO_GUID = '00000000-0000-4000-8000-000000000000';
const JOB_MS = 60;

const contract = new OpenApiContract(SPEC);

// Schema-level validation: the bundle's components, and the App schema written from the CF v3 docs.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
ajv.addSchema({ ...(parse(readFileSync(SPEC, 'utf8')) as object), $id: 'cf-bundle' } as never);
const TIMESTAMP = { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$' };
const LINK = {
  type: 'object',
  required: ['href'],
  additionalProperties: false,
  properties: { href: { type: 'string', format: 'uri' }, method: { type: 'string' } },
};
const POST_LINK = {
  ...LINK,
  required: ['href', 'method'],
  properties: { ...LINK.properties, method: { const: 'POST' } },
};
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };
/** CF v3 docs, "The app object" (apps are not part of the vendored bundle). */
const APP_SCHEMA = {
  $id: 'cf-app',
  type: 'object',
  additionalProperties: false,
  required: ['guid', 'name', 'state', 'created_at', 'updated_at', 'lifecycle', 'relationships', 'metadata', 'links'],
  properties: {
    guid: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1 },
    state: { enum: ['STARTED', 'STOPPED'] },
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
    lifecycle: {
      oneOf: [
        {
          type: 'object',
          required: ['type', 'data'],
          properties: {
            type: { const: 'buildpack' },
            data: {
              type: 'object',
              required: ['buildpacks', 'stack'],
              properties: {
                buildpacks: { type: 'array', items: { type: 'string' } },
                stack: { type: ['string', 'null'] },
              },
            },
          },
        },
        {
          type: 'object',
          required: ['type', 'data'],
          properties: { type: { const: 'docker' }, data: { type: 'object', maxProperties: 0 } },
        },
      ],
    },
    relationships: {
      type: 'object',
      required: ['space'],
      properties: {
        space: {
          type: 'object',
          required: ['data'],
          properties: {
            data: { type: 'object', required: ['guid'], properties: { guid: { type: 'string', format: 'uuid' } } },
          },
        },
      },
    },
    metadata: {
      type: 'object',
      required: ['labels', 'annotations'],
      additionalProperties: false,
      properties: { labels: STRING_MAP, annotations: STRING_MAP },
    },
    links: {
      type: 'object',
      required: [
        'self',
        'space',
        'processes',
        'packages',
        'environment_variables',
        'current_droplet',
        'droplets',
        'tasks',
        'start',
        'stop',
        'revisions',
        'deployed_revisions',
        'features',
      ],
      additionalProperties: LINK,
      properties: { start: POST_LINK, stop: POST_LINK },
    },
  },
};
ajv.addSchema(APP_SCHEMA);
const NULLABLE_STRING = { type: ['string', 'null'] };
/** Seeds 000/001: the early-v3 create's 201 body (hrefs relative in the seed, so any string). */
const EARLY_V3_PACKAGE_SCHEMA = {
  $id: 'cf-early-v3-package',
  type: 'object',
  required: ['guid', 'type', 'data', 'state', 'created_at', 'updated_at', 'links'],
  additionalProperties: false,
  properties: {
    guid: { type: 'string', format: 'uuid' },
    type: { enum: ['bits', 'docker'] },
    state: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
    data: {
      type: 'object',
      required: ['hash', 'error'],
      additionalProperties: false,
      properties: {
        hash: {
          type: 'object',
          required: ['type', 'value'],
          additionalProperties: false,
          properties: { type: { type: 'string' }, value: NULLABLE_STRING },
        },
        error: NULLABLE_STRING,
        image: { type: 'string' },
        credentials: {
          type: 'object',
          additionalProperties: false,
          properties: {
            user: NULLABLE_STRING,
            password: NULLABLE_STRING,
            email: NULLABLE_STRING,
            login_server: NULLABLE_STRING,
          },
        },
        store_image: { type: 'boolean' },
      },
    },
    links: {
      type: 'object',
      required: ['self', 'app'],
      additionalProperties: {
        type: 'object',
        required: ['href'],
        additionalProperties: false,
        properties: { href: { type: 'string' }, method: { type: 'string' } },
      },
    },
  },
};
ajv.addSchema(EARLY_V3_PACKAGE_SCHEMA);
const validators = {
  earlyV3Package: ajv.compile({ $ref: 'cf-early-v3-package' }),
  errors: ajv.compile({ $ref: 'cf-bundle#/components/schemas/Errors' }),
  package: ajv.compile({ $ref: 'cf-bundle#/components/schemas/Package' }),
  app: ajv.compile({ $ref: 'cf-app' }),
  appList: ajv.compile({
    type: 'object',
    required: ['pagination', 'resources'],
    properties: {
      pagination: { $ref: 'cf-bundle#/components/schemas/Pagination' },
      resources: { type: 'array', items: { $ref: 'cf-app' } },
    },
  }),
};
type SchemaName = keyof typeof validators;

let cf: Emulator;

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: Json;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = DEMO,
): Promise<Exchange> {
  const init: RequestInit = {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  if (body instanceof FormData) init.headers = headers;
  const response = await fetch(`${cf.url}${path}`, init);
  const text = await response.text();
  return { method, path, status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** CC error bodies, beyond the spec's loose `Errors`: exactly `{errors: [{code: int, title, detail}]}`. */
function expectCfErrorShape(body: Json): void {
  expect(Object.keys(body)).toEqual(['errors']);
  for (const error of body.errors) {
    expect(Object.keys(error).sort()).toEqual(['code', 'detail', 'title']);
    expect(Number.isInteger(error.code)).toBe(true);
  }
}

/** Calls, checks the status, validates the body against the spec's schema for that operation and status. */
async function conforming(
  method: string,
  path: string,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Json> {
  const exchange = await call(method, path, body, headers);
  expect(exchange.status, `${method} ${path}: ${JSON.stringify(exchange.body)?.slice(0, 300)}`).toBe(status);
  const result = contract.validate(exchange);
  expect(result.errors, result.checkedAgainst).toEqual([]);
  expect(result.valid).toBe(true);
  if (status >= 400) expectCfErrorShape(exchange.body);
  return exchange.body;
}

/** For statuses or routes the spec leaves out: proves the gap, then validates against a named schema. */
async function conformingOutsideSpec(
  method: string,
  path: string,
  status: number,
  schema: SchemaName,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Json> {
  const exchange = await call(method, path, body, headers);
  expect(exchange.status, `${method} ${path}: ${JSON.stringify(exchange.body)?.slice(0, 300)}`).toBe(status);
  const specVerdict = contract.validate(exchange);
  expect(specVerdict.valid, `${specVerdict.checkedAgainst} unexpectedly documented`).toBe(false);
  expect(specVerdict.errors.join(' ')).toMatch(/documents no|no such operation|no path/);
  const validate = validators[schema];
  expect(validate(exchange.body), JSON.stringify(validate.errors)).toBe(true);
  if (status >= 400) expectCfErrorShape(exchange.body);
  return exchange.body;
}

async function waitFor(path: string, done: (body: Json) => boolean): Promise<Json> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { body } = await call('GET', path);
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, JOB_MS / 2));
  }
  throw new Error(`${path} never reached the expected state`);
}

function uploadForm(parts: { bits?: Uint8Array; resources?: string }): FormData {
  const form = new FormData();
  if (parts.bits) form.append('bits', new Blob([parts.bits]), 'package.zip');
  if (parts.resources !== undefined) form.append('resources', parts.resources);
  return form;
}

let packages: Json[];
let apps: Json[];
let buildpackApp: Json;
let dockerApp: Json;

beforeAll(async () => {
  cf = await startCfEmulator({
    host: '127.0.0.1',
    port: 0,
    tenants: [DEMO_TENANT, SECOND_TENANT],
    jobDurationMs: JOB_MS,
  });
  packages = (await call('GET', '/v3/packages?per_page=5000')).body.resources;
  apps = (await call('GET', '/v3/apps?per_page=5000')).body.resources;
  buildpackApp = apps.find((a) => a.lifecycle.type === 'buildpack');
  dockerApp = apps.find((a) => a.lifecycle.type === 'docker');
});
afterAll(() => cf.close());

describe('the error catalogue', () => {
  it('matches errors-v2.yml entry for entry (code, HTTP status, message)', () => {
    // The upstream file repeats a few codes (e.g. 60003), so read it as a list of pairs rather than a map.
    const document = parseDocument(readFileSync(CATALOGUE, 'utf8'), { uniqueKeys: false });
    const pairs = (document.contents as YAMLMap<Scalar<number>, YAMLMap>).items;
    const byName = new Map(
      pairs.map((pair) => {
        const entry = pair.value!.toJSON() as { name: string; http_code: number; message: string };
        return [entry.name, { code: Number(pair.key.value), ...entry }];
      }),
    );
    for (const [name, entry] of Object.entries(CF_ERROR_CATALOGUE)) {
      const upstream = byName.get(name);
      expect(upstream, name).toBeDefined();
      expect([entry.code, entry.httpStatus, entry.messageFormat], name).toEqual([
        upstream!.code,
        upstream!.http_code,
        upstream!.message,
      ]);
    }
  });
});

describe('GET /v3/packages', () => {
  it('200: the whole seed, pages, and every filter', async () => {
    await conforming('GET', '/v3/packages?per_page=5000', 200);
    for (const query of [
      '',
      'page=2&per_page=7',
      'page=99',
      'types=bits,docker&states=READY,FAILED',
      'guids=a,b',
      `app_guids=${buildpackApp.guid}`,
      `space_guids=${buildpackApp.relationships.space.data.guid}`,
      'organization_guids=x',
      'label_selector=env%3Dprod,tier%20in%20(web,worker),!legacy',
      'created_ats[gte]=2024-01-01T00:00:00Z&updated_ats[lt]=2030-01-01T00:00:00Z&order_by=-updated_at',
      `created_ats=${packages[0].created_at}`,
    ]) {
      await conforming('GET', `/v3/packages?${query}`, 200);
    }
  });

  it('400, 401, and injected 500/503 bodies', async () => {
    await conforming('GET', '/v3/packages?foo=bar', 400);
    await conforming('GET', '/v3/packages?per_page=0&order_by=guid&label_selector=%25', 400);
    await conforming('GET', '/v3/packages', 401, undefined, {});
    await conforming('GET', '/v3/packages', 401, undefined, { authorization: 'bearer wrong' });
    cf.injectFault({ path: '/v3/packages', status: 503, times: 1 });
    await conforming('GET', '/v3/packages', 503);
    cf.injectFault({ path: '/v3/packages', status: 500, times: 1 });
    await conforming('GET', '/v3/packages', 500);
  });
});

describe('GET/PATCH/DELETE /v3/packages/{guid}', () => {
  it('200 for every seeded package; 404; 401', async () => {
    for (const pkg of packages) await conforming('GET', `/v3/packages/${pkg.guid}`, 200);
    await conforming('GET', `/v3/packages/${NO_GUID}`, 404);
    await conforming('GET', `/v3/packages/${packages[0].guid}`, 401, undefined, {});
  });

  it('PATCH 200 (metadata, docker credentials), 422, 400, 404', async () => {
    const docker = packages.find((p) => p.type === 'docker');
    const bits = packages.find((p) => p.type === 'bits');
    await conforming('PATCH', `/v3/packages/${docker.guid}`, 200, {
      metadata: { labels: { audited: 'true' } },
      username: 'u',
      password: 'p',
    });
    await conforming('PATCH', `/v3/packages/${bits.guid}`, 200, {
      metadata: { annotations: { note: 'x' }, labels: { audited: null } },
    });
    await conforming('PATCH', `/v3/packages/${bits.guid}`, 422, { password: 'p' });
    await conforming('PATCH', `/v3/packages/${bits.guid}`, 400, 'not json');
    await conforming('PATCH', `/v3/packages/${NO_GUID}`, 404, {});
  });

  it('DELETE 202 with no body; 404; and the job it starts (GET /v3/jobs/{guid} 200, PROCESSING then COMPLETE)', async () => {
    const pkg = (
      await call('POST', '/v3/packages', {
        type: 'bits',
        relationships: { app: { data: { guid: buildpackApp.guid } } },
      })
    ).body;
    const response = await fetch(`${cf.url}/v3/packages/${pkg.guid}`, { method: 'DELETE', headers: DEMO });
    const exchange = {
      method: 'DELETE',
      path: `/v3/packages/${pkg.guid}`,
      status: response.status,
      body: (await response.text()) || undefined,
    };
    expect(contract.validate(exchange)).toMatchObject({
      valid: true,
      checkedAgainst: 'DELETE /v3/packages/{guid} 202',
    });
    const jobPath = response.headers.get('location')!.slice(cf.url.length);
    const processing = await conforming('GET', jobPath, 200);
    expect(processing.state).toBe('PROCESSING');
    await waitFor(jobPath, (job) => job.state === 'COMPLETE');
    await conforming('GET', jobPath, 200);
    await conforming('GET', `/v3/jobs/${NO_GUID}`, 404);
    await conforming('GET', jobPath, 401, undefined, { authorization: 'bearer wrong' });
    await conforming('DELETE', `/v3/packages/${NO_GUID}`, 404);
  });
});

describe('POST /v3/packages (create and copy)', () => {
  it('create: 201 bits and docker, 422, 400, 401', async () => {
    await conforming('POST', '/v3/packages', 201, {
      type: 'bits',
      relationships: { app: { data: { guid: buildpackApp.guid } } },
      metadata: { labels: { a: 'b' } },
    });
    await conforming('POST', '/v3/packages', 201, {
      type: 'docker',
      relationships: { app: { data: { guid: dockerApp.guid } } },
      data: { image: 'acme/worker:1.0.0', username: 'u', password: 'p' },
    });
    await conforming('POST', '/v3/packages', 422, { type: 'oci' });
    await conforming('POST', '/v3/packages', 422, {
      type: 'bits',
      relationships: { app: { data: { guid: NO_GUID } } },
    });
    await conforming('POST', '/v3/packages', 422, {
      type: 'bits',
      relationships: { app: { data: { guid: dockerApp.guid } } },
    });
    await conforming('POST', '/v3/packages', 400, '[1, 2');
    await conforming('POST', '/v3/packages', 401, {}, {});
  });

  it('copy (the x-unwired ?source_guid= template): 201 bits and docker, 422', async () => {
    const readyBits = packages.find(
      (p) => p.type === 'bits' && p.state === 'READY' && p.relationships.app.data.guid !== buildpackApp.guid,
    );
    const docker = packages.find((p) => p.type === 'docker' && p.relationships.app.data.guid !== dockerApp.guid);
    expect(contract.templateFor(`/v3/packages?source_guid=${readyBits.guid}`)).toBe(
      '/v3/packages?source_guid={source_guid}',
    );
    const copy = await conforming('POST', `/v3/packages?source_guid=${readyBits.guid}`, 201, {
      relationships: { app: { data: { guid: buildpackApp.guid } } },
    });
    expect(copy.state).toBe('COPYING');
    await conforming('POST', `/v3/packages?source_guid=${docker.guid}`, 201, {
      relationships: { app: { data: { guid: dockerApp.guid } } },
    });
    await conforming('POST', `/v3/packages?source_guid=${NO_GUID}`, 422, {
      relationships: { app: { data: { guid: dockerApp.guid } } },
    });
    await conforming('POST', `/v3/packages?source_guid=${docker.guid}`, 422, { relationships: {} });
    await waitFor(`/v3/packages/${copy.guid}`, (p) => p.state === 'READY');
    await conforming('GET', `/v3/packages/${copy.guid}`, 200);
  });

  // In the second tenant: a store holding early-v3 packages stands for an early-v3 controller, whose reads answer the
  // seeds' shape (docs/upstream-notes.md); the current-spec checks of the other tests read the demo tenant.
  it("the early-v3 POST /v3/apps/{guid}/packages (not in the spec): the seeds' package shape on create and read, Errors", async () => {
    const SECOND = { authorization: `bearer ${SECOND_TENANT.cf.token}` };
    const secondApps: Json[] = (await call('GET', '/v3/apps?per_page=5000', undefined, SECOND)).body.resources;
    const bitsApp = secondApps.find((a) => a.lifecycle.type === 'buildpack');
    const imageApp = secondApps.find((a) => a.lifecycle.type === 'docker');
    const early = (body: unknown) =>
      conformingOutsideSpec('POST', `/v3/apps/${imageApp.guid}/packages`, 201, 'earlyV3Package', body, SECOND);
    await conformingOutsideSpec(
      'POST',
      `/v3/apps/${bitsApp.guid}/packages`,
      201,
      'earlyV3Package',
      { type: 'bits' },
      SECOND,
    );
    await early({ type: 'docker', data: { image: 'nginx:latest' } });
    const created = await early({
      type: 'docker',
      data: {
        image: 'registry/image:latest',
        credentials: { user: 'u', password: 'p', email: 'root@admin.example.com', login_server: 'https://x.example' },
        store_image: true,
      },
    });
    const read = await call('GET', `/v3/packages/${created.guid}`, undefined, SECOND);
    expect(read.status).toBe(200);
    expect(validators.earlyV3Package(read.body), JSON.stringify(validators.earlyV3Package.errors)).toBe(true);
    expect(read.body.data).toMatchObject({ credentials: { email: 'root@admin.example.com' }, store_image: true });
    await conformingOutsideSpec('POST', `/v3/apps/${NO_GUID}/packages`, 404, 'errors', { type: 'bits' }, SECOND);
    await conformingOutsideSpec('POST', `/v3/apps/${imageApp.guid}/packages`, 422, 'errors', { type: 'bits' }, SECOND);
  });
});

describe('upload and download', () => {
  const zip = zipSync({ 'server.js': new TextEncoder().encode('console.log(1)\n') });

  it('upload: 200 (PROCESSING_UPLOAD), then the READY package; 422; 404; 401; 400 outside the spec', async () => {
    const pkg = (
      await call('POST', '/v3/packages', {
        type: 'bits',
        relationships: { app: { data: { guid: buildpackApp.guid } } },
      })
    ).body;
    const uploaded = await conforming(
      'POST',
      `/v3/packages/${pkg.guid}/upload`,
      200,
      uploadForm({ bits: zip, resources: '[]' }),
    );
    expect(uploaded.state).toBe('PROCESSING_UPLOAD');
    await waitFor(`/v3/packages/${pkg.guid}`, (p) => p.state === 'READY');
    await conforming('GET', `/v3/packages/${pkg.guid}`, 200);
    await conformingOutsideSpec('POST', `/v3/packages/${pkg.guid}/upload`, 400, 'errors', uploadForm({ bits: zip }));
    await conforming('POST', `/v3/packages/${pkg.guid}/upload`, 422, uploadForm({}));
    await conforming(
      'POST',
      `/v3/packages/${packages.find((p) => p.type === 'docker').guid}/upload`,
      422,
      uploadForm({ bits: zip }),
    );
    await conforming('POST', `/v3/packages/${NO_GUID}/upload`, 404, uploadForm({ bits: zip }));
    await conforming('POST', `/v3/packages/${pkg.guid}/upload`, 401, uploadForm({ bits: zip }), {});
  });

  it('download: 200 zip and 422/401 outside the spec (it documents only the remote 302); 404', async () => {
    const ready = packages.find((p) => p.type === 'bits' && p.state === 'READY');
    const response = await fetch(`${cf.url}/v3/packages/${ready.guid}/download`, { headers: DEMO });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/zip']);
    const verdict = contract.validate({
      method: 'GET',
      path: `/v3/packages/${ready.guid}/download`,
      status: 200,
      body: undefined,
    });
    expect(verdict.errors).toEqual(['the spec documents no 200 response']);
    await conformingOutsideSpec(
      'GET',
      `/v3/packages/${packages.find((p) => p.state === 'AWAITING_UPLOAD').guid}/download`,
      422,
      'errors',
    );
    await conformingOutsideSpec('GET', `/v3/packages/${ready.guid}/download`, 401, 'errors', undefined, {});
    await conforming('GET', `/v3/packages/${NO_GUID}/download`, 404);
  });
});

describe('list routes under a resource', () => {
  it('GET /v3/packages/{guid}/droplets: 200 for every package, 404, 401, 400 outside the spec', async () => {
    let withDroplets = 0;
    for (const pkg of packages) {
      const body = await conforming('GET', `/v3/packages/${pkg.guid}/droplets`, 200);
      if (body.resources.length > 0) withDroplets++;
    }
    expect(withDroplets).toBeGreaterThan(5);
    await conforming(
      'GET',
      `/v3/packages/${packages[0].guid}/droplets?states=STAGED,FAILED&order_by=-created_at&per_page=1&label_selector=staged`,
      200,
    );
    await conforming('GET', `/v3/packages/${NO_GUID}/droplets`, 404);
    await conforming('GET', `/v3/packages/${packages[0].guid}/droplets`, 401, undefined, {});
    await conformingOutsideSpec('GET', `/v3/packages/${packages[0].guid}/droplets?app_guids=x`, 400, 'errors');
  });

  it('GET /v3/apps/{guid}/packages: 200 for every app, 404, 401, 400 outside the spec', async () => {
    for (const app of apps) await conforming('GET', `/v3/apps/${app.guid}/packages?order_by=updated_at`, 200);
    await conforming(
      'GET',
      `/v3/apps/${buildpackApp.guid}/packages?states=READY&types=bits&label_selector=env&per_page=1&page=2`,
      200,
    );
    await conforming('GET', `/v3/apps/${NO_GUID}/packages`, 404);
    await conforming('GET', `/v3/apps/${buildpackApp.guid}/packages`, 401, undefined, {});
    await conformingOutsideSpec('GET', `/v3/apps/${buildpackApp.guid}/packages?space_guids=x`, 400, 'errors');
  });
});

describe('apps (a schema from the CF v3 docs; not in the bundle)', () => {
  it('GET /v3/apps and GET /v3/apps/{guid}', async () => {
    for (const query of [
      'per_page=5000',
      'per_page=3&page=2&order_by=-name',
      `guids=${apps[0].guid}&names=${apps[0].name}`,
      'label_selector=runtime',
    ]) {
      await conformingOutsideSpec('GET', `/v3/apps?${query}`, 200, 'appList');
    }
    for (const app of apps) await conformingOutsideSpec('GET', `/v3/apps/${app.guid}`, 200, 'app');
    await conformingOutsideSpec('GET', `/v3/apps/${NO_GUID}`, 404, 'errors');
    await conformingOutsideSpec('GET', '/v3/apps?include=space', 400, 'errors');
    await conformingOutsideSpec('GET', '/v3/apps', 401, 'errors', undefined, {
      authorization: `bearer ${SECOND_TENANT.cf.token}x`,
    });
  });

  it('unknown routes answer CC’s NotFound body', async () => {
    await conformingOutsideSpec('GET', '/v3/spaces', 404, 'errors');
  });
});

describe('the validators bite', () => {
  it('rejects broken list envelopes, packages, jobs and error bodies', async () => {
    const list = (await call('GET', '/v3/packages?per_page=2')).body;
    const broken = (mutate: (copy: Json) => void) => {
      const copy = structuredClone(list);
      mutate(copy);
      return contract.validate({ method: 'GET', path: '/v3/packages', status: 200, body: copy });
    };
    expect(broken(() => {}).valid).toBe(true);
    expect(broken((c) => (c.pagination.total_results = '2')).valid).toBe(false);
    expect(broken((c) => (c.pagination.next = { url: 'x' })).valid).toBe(false);
    expect(broken((c) => (c.resources = { items: c.resources })).valid).toBe(false);
    expect(broken((c) => (c.resources[0].state = 'DONE')).valid).toBe(false);
    expect(broken((c) => (c.resources[0].created_at = 'yesterday')).valid).toBe(false);

    const job = {
      guid: NO_GUID,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      operation: 'package.delete',
      state: 'DONE',
      links: {},
      errors: [],
      warnings: [],
    };
    expect(contract.validate({ method: 'GET', path: `/v3/jobs/${NO_GUID}`, status: 200, body: job }).valid).toBe(false);
    expect(
      contract.validate({
        method: 'GET',
        path: `/v3/packages/${NO_GUID}`,
        status: 404,
        body: { errors: { code: 10010 } },
      }).valid,
    ).toBe(false);
    expect(
      contract.validate({
        method: 'GET',
        path: `/v3/packages/${NO_GUID}`,
        status: 404,
        body: { errors: [{ code: '10010' }] },
      }).valid,
    ).toBe(false);

    const app = (await call('GET', `/v3/apps/${apps[0].guid}`)).body;
    expect(validators.app(app)).toBe(true);
    expect(validators.app({ ...app, name: undefined })).toBe(false);
    expect(validators.app({ ...app, lifecycle: { type: 'docker', data: { stack: 'x' } } })).toBe(false);
    expect(validators.app({ ...app, links: { ...app.links, start: { href: app.links.start.href } } })).toBe(false);
  });
});
