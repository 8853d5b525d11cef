/**
 * Every Cycle emulator endpoint's responses, success and error, validated against Cycle's own OpenAPI schemas
 * (the vendored bundle of cycleplatform/api-spec). Includes and meta variants, JobDescriptor and Job included; the
 * last block proves the validator bites on broken envelopes.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCycleEmulator } from '../../src/sandbox/cycle/index.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';
import { OpenApiContract } from './openapi.js';

/** Response bodies, which go to the validator. */
type Json = any;

const SPEC = fileURLToPath(new URL('./specs/cycle/cycle-images-jobs.bundled.yaml', import.meta.url));
const DEMO = { authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`, 'x-hub-id': DEMO_TENANT.cycle.hubId };
const NO_ID = '000000000000000000000000';

const contract = new OpenApiContract(SPEC);
let cycle: Emulator;

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
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${cycle.url}${path}`, init);
  return { method, path, status: response.status, body: await response.json() };
}

/** Calls, checks the expected status, and validates the body against the spec's schema for that response. */
async function conforming(
  method: string,
  path: string,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Json> {
  const exchange = await call(method, path, body, headers);
  expect(exchange.status, `${method} ${path}: ${JSON.stringify(exchange.body).slice(0, 300)}`).toBe(status);
  const result = contract.validate(exchange);
  expect(result.errors, `${result.checkedAgainst}`).toEqual([]);
  expect(result.valid).toBe(true);
  return exchange.body;
}

async function waitForJob(id: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const { status, body } = await call('GET', `/v1/jobs/${id}`);
    if (status === 200 && body.data.state.current === 'completed') return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${id} did not complete`);
}

let images: Json[];
let sources: Json[];

beforeAll(async () => {
  cycle = await startCycleEmulator({
    host: '127.0.0.1',
    port: 0,
    tenants: [DEMO_TENANT, SECOND_TENANT],
    jobDurationMs: 30,
  });
  images = (await call('GET', '/v1/images?page[size]=100')).body.data;
  sources = (await call('GET', '/v1/images/sources?page[size]=100')).body.data;
});
afterAll(() => cycle.close());

describe('images (cycle.md §4 rows 1-8)', () => {
  it('GET /v1/images: every seeded image, plain and with every include and meta', async () => {
    for (let page = 1; page <= 3; page++) {
      await conforming('GET', `/v1/images?page[size]=100&page[number]=${page}`, 200);
      await conforming(
        'GET',
        `/v1/images?page[size]=100&page[number]=${page}&include=creators,stack_builds,stacks,sources,integrations&meta=containers_count`,
        200,
      );
    }
    await conforming('GET', '/v1/images?include=sources&include=creators&filter[state]=live,new&sort=-size', 200);
    await conforming('GET', '/v1/images?filter[source_type]=stack-build&include=stacks&include=stack_builds', 200);
  });

  it('GET /v1/images errors: auth, wrong hub, bad parameters', async () => {
    await conforming('GET', '/v1/images', 401, undefined, { 'x-hub-id': DEMO_TENANT.cycle.hubId });
    await conforming('GET', '/v1/images', 401, undefined, { authorization: DEMO.authorization });
    await conforming('GET', '/v1/images', 403, undefined, { ...DEMO, 'x-hub-id': SECOND_TENANT.cycle.hubId });
    await conforming('GET', '/v1/images?include=bogus', 422);
    await conforming('GET', '/v1/images?page[size]=1000', 422);
    await conforming('GET', '/v1/images?sort=nope', 422);
  });

  it('GET /v1/images/{imageId} with includes and meta; 404', async () => {
    for (const image of images.slice(0, 10)) {
      await conforming(
        'GET',
        `/v1/images/${image.id}?include=creators,stack_builds,stacks,sources,integrations&meta=containers_count`,
        200,
      );
    }
    await conforming('GET', `/v1/images/${NO_ID}`, 404);
  });

  it('GET /v1/images/{imageId}/build-log: 200 and both 404s', async () => {
    let served = 0;
    for (const image of images) {
      const exchange = await call('GET', `/v1/images/${image.id}/build-log`);
      expect(contract.validate(exchange).errors).toEqual([]);
      if (exchange.status === 200) served++;
      if (served > 3) break;
    }
    expect(served).toBeGreaterThan(0);
    await conforming('GET', `/v1/images/${NO_ID}/build-log`, 404);
  });

  it('POST /v1/images: 201 and its errors', async () => {
    await conforming('POST', '/v1/images', 201, {
      source_id: sources[0].id,
      name: 'contract',
      build: { args: { A: 'b' }, use_disk: true },
    });
    await conforming('POST', '/v1/images', 422, {});
    await conforming('POST', '/v1/images', 404, { source_id: NO_ID });
    await conforming('POST', '/v1/images', 400, '{oops');
    const exchange = await fetch(`${cycle.url}/v1/images`, {
      method: 'POST',
      headers: { ...DEMO, 'content-type': 'text/plain' },
      body: 'x',
    });
    const result = contract.validate({
      method: 'POST',
      path: '/v1/images',
      status: exchange.status,
      body: await exchange.json(),
    });
    expect([exchange.status, result.valid]).toEqual([415, true]);
  });

  it('PATCH and DELETE /v1/images/{imageId}: 200 Image, 200 JobDescriptor, errors', async () => {
    const created = (await call('POST', '/v1/images', { source_id: sources[1].id })).body.data;
    await conforming('PATCH', `/v1/images/${created.id}`, 200, { name: 'patched' });
    await conforming('PATCH', `/v1/images/${NO_ID}`, 404, { name: 'x' });
    await conforming('PATCH', `/v1/images/${created.id}`, 422, { name: 7 });
    const deleted = await conforming('DELETE', `/v1/images/${created.id}`, 200);
    expect(deleted.data.job.id).toMatch(/^[0-9a-f]{24}$/);
    await conforming('DELETE', `/v1/images/${created.id}`, 403);
    await conforming('DELETE', `/v1/images/${NO_ID}`, 404);
  });

  it('POST /v1/images/{imageId}/tasks: 200 JobDescriptor; the Job through its states; errors', async () => {
    const created = (await call('POST', '/v1/images', { source_id: sources[2].id })).body.data;
    const descriptor = await conforming('POST', `/v1/images/${created.id}/tasks`, 200, { action: 'import' });
    const seen = new Set<string>();
    for (let i = 0; i < 400 && !seen.has('completed'); i++) {
      const exchange = await call('GET', `/v1/jobs/${descriptor.data.job.id}`);
      expect(contract.validate(exchange).errors).toEqual([]);
      seen.add(exchange.status === 200 ? exchange.body.data.state.current : String(exchange.status));
      const image = await call('GET', `/v1/images/${created.id}?meta=containers_count`);
      expect(contract.validate(image).errors).toEqual([]);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(seen.has('completed')).toBe(true);
    await conforming('POST', `/v1/images/${created.id}/tasks`, 422, { action: 'explode' });
    await conforming('POST', `/v1/images/${NO_ID}/tasks`, 404, { action: 'import' });
    await conforming('GET', `/v1/images/${created.id}/build-log`, 200);
  });

  it('POST /v1/images/tasks: 202 JobDescriptor and errors', async () => {
    await conforming('POST', '/v1/images/tasks', 202, { action: 'prune', contents: { source_ids: [sources[5].id] } });
    await conforming('POST', '/v1/images/tasks', 422, { action: 'prune' });
    await conforming('POST', '/v1/images/tasks', 404, { action: 'prune', contents: { source_ids: [NO_ID] } });
  });
});

describe('image sources (cycle.md §4 rows 9-14)', () => {
  it('GET /v1/images/sources: every seeded source (every origin kind), with includes and meta; errors', async () => {
    await conforming('GET', '/v1/images/sources?page[size]=100', 200);
    await conforming('GET', '/v1/images/sources?page[size]=100&include=creators,integrations&meta=images_count', 200);
    await conforming('GET', '/v1/images/sources?filter[search]=dock&sort=-name', 200);
    await conforming('GET', '/v1/images/sources?meta=containers_count', 422);
    await conforming('GET', '/v1/images/sources', 401, undefined, {});
  });

  it('GET /v1/images/sources/{sourceId}: 200 with includes and meta; 404', async () => {
    for (const source of sources)
      await conforming(
        'GET',
        `/v1/images/sources/${source.id}?include=creators&include=integrations&meta=images_count`,
        200,
      );
    await conforming('GET', `/v1/images/sources/${NO_ID}`, 404);
  });

  it('POST /v1/images/sources: 201 for each origin kind; errors', async () => {
    const origins = [
      { type: 'docker-hub', details: { target: 'nginx:latest' } },
      { type: 'docker-registry', details: { target: 'acme/api:latest', url: 'https://quay.io', token: 't' } },
      {
        type: 'oci-registry',
        details: {
          target: 'acme/docs:v3',
          url: 'https://ghcr.io',
          auth: { type: 'webhook', details: { url: 'https://x.example' } },
        },
      },
      {
        type: 'docker-file',
        details: {
          repo: {
            url: 'https://github.com/acme/x.git',
            auth: { type: 'http', credentials: { username: 'u', password: 'p' } },
          },
          credentials: [{ url: 'ghcr.io', username: 'u', token: 't' }],
        },
      },
      { type: 'docker-file', details: { targz_url: 'https://example.com/x.tar.gz' } },
      { type: 'cycle-upload' },
      { type: 'none' },
    ];
    for (const origin of origins) {
      await conforming('POST', '/v1/images/sources', 201, {
        type: 'direct',
        origin,
        about: { description: null },
        acl: null,
        builder: { integration_id: 'github-actions' },
      });
    }
    await conforming('POST', '/v1/images/sources', 422, { type: 'direct' });
    await conforming('POST', '/v1/images/sources', 404, {
      type: 'direct',
      origin: { type: 'none' },
      builder: { integration_id: 'missing' },
    });
    await conforming('POST', '/v1/images/sources', 400, 'nope');
  });

  it('PATCH /v1/images/sources/{sourceId} and /access; DELETE (202); errors', async () => {
    const created = (await call('POST', '/v1/images/sources', { type: 'bucket', origin: { type: 'none' } })).body.data;
    await conforming('PATCH', `/v1/images/sources/${created.id}`, 200, {
      name: 'n',
      identifier: 'i',
      about: { description: 'd' },
      builder: { integration_id: null },
    });
    await conforming('PATCH', `/v1/images/sources/${created.id}`, 422, {
      origin: { type: 'docker-registry', details: { target: 'x' } },
    });
    await conforming('PATCH', `/v1/images/sources/${NO_ID}`, 404, { name: 'x' });
    await conforming('PATCH', `/v1/images/sources/${created.id}/access`, 200, {
      acl: { roles: { [NO_ID]: { view: true, modify: true, manage: false } } },
    });
    await conforming('PATCH', `/v1/images/sources/${created.id}/access`, 422, { acl: 'all' });
    const deleting = await conforming('DELETE', `/v1/images/sources/${created.id}`, 202);
    await conforming('GET', `/v1/images/sources/${created.id}?meta=images_count`, 200);
    await conforming('PATCH', `/v1/images/sources/${created.id}`, 403, { name: 'late' });
    await waitForJob(deleting.data.job.id);
    await conforming('DELETE', `/v1/images/sources/${created.id}`, 404);
  });
});

describe('jobs (cycle.md §4 rows 15-17)', () => {
  it('GET /v1/jobs with include=creators and filters; GET /v1/jobs/latest; GET /v1/jobs/{id}; errors', async () => {
    const listed = await conforming('GET', '/v1/jobs?page[size]=100&include=creators', 200);
    await conforming('GET', '/v1/jobs?filter[state]=error,completed&filter[search]=image&sort=caption', 200);
    await conforming('GET', '/v1/jobs/latest', 200);
    for (const job of listed.data.slice(0, 5)) await conforming('GET', `/v1/jobs/${job.id}`, 200);
    await conforming('GET', `/v1/jobs/${NO_ID}`, 404);
    await conforming('GET', '/v1/jobs?filter[range-start]=not-a-date', 422);
    await conforming('GET', '/v1/jobs/latest', 403, undefined, { ...DEMO, 'x-hub-id': NO_ID });
  });
});

describe('the validator bites', () => {
  it('rejects broken envelopes and resources', async () => {
    const list = await call('GET', '/v1/images?page[size]=2&include=sources&meta=containers_count');
    const broken = (body: Json) => contract.validate({ ...list, body }).valid;
    expect(broken(list.body)).toBe(true);
    expect(broken({ images: list.body.data })).toBe(false);
    expect(broken({ data: list.body.data[0] })).toBe(false);
    const { id: _dropped, ...withoutId } = list.body.data[0];
    expect(broken({ data: [withoutId] })).toBe(false);
    expect(broken({ data: [{ ...list.body.data[0], meta: { containers_count: 3 } }] })).toBe(false);
    expect(
      broken({
        data: [{ ...list.body.data[0], state: { current: 'imported', changed: list.body.data[0].state.changed } }],
      }),
    ).toBe(false);
    expect(broken({ ...list.body, includes: { sources: [] } })).toBe(false);
    const source = Object.values<Json>(list.body.includes.sources)[0];
    const registryOrigin = { type: 'docker-registry', details: { target: 'acme/api:latest' } }; // `url` is required
    expect(
      broken({ ...list.body, includes: { sources: { [source.id]: { ...source, origin: registryOrigin } } } }),
    ).toBe(false);
    const error = await call('GET', `/v1/images/${NO_ID}`);
    expect(contract.validate({ ...error, body: { error: error.body.error } }).valid).toBe(false);
    expect(
      contract.validate({
        ...error,
        body: { ...error.body, error: { ...error.body.error, code: '404.image-missing' } },
      }).valid,
    ).toBe(false);
    const job = await call('DELETE', `/v1/images/${images[10].id}`);
    expect(contract.validate({ ...job, body: { data: { job_id: job.body.data.job.id } } }).valid).toBe(false);
  });
});
