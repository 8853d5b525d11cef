/**
 * The Cycle emulator, write side and jobs, over real loopback HTTP: create/update/delete of images and sources,
 * import and prune tasks, body validation, and the job lifecycle (a fresh job 404s briefly, then
 * new → queued → running → completed; effects apply at completion).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCycleEmulator } from '../../src/sandbox/cycle/index.js';
import { DEMO_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';

/** Response bodies, checked field by field. */
type Json = any;

const DEMO = { authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`, 'x-hub-id': DEMO_TENANT.cycle.hubId };
const JOB_MS = 40;

let cycle: Emulator;

async function call(
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const init: RequestInit = {
    method,
    headers: { ...DEMO, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${cycle.url}${path}`, init);
  return { status: response.status, body: await response.json() };
}

/** Polls a job like Cycle's own tracker (cycle.md §6): 404 `404.job` is retried, terminal states end the wait. */
async function waitForJob(id: string, on: Emulator = cycle): Promise<Json> {
  for (let i = 0; i < 500; i++) {
    const response = await fetch(`${on.url}/v1/jobs/${id}`, { headers: DEMO });
    const body = (await response.json()) as Json;
    if (response.status === 200 && ['completed', 'error', 'expired'].includes(body.data.state.current))
      return body.data;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${id} did not finish`);
}

async function sourceOf(originType: string): Promise<Json> {
  const { body } = await call('GET', '/v1/images/sources?page[size]=100');
  return body.data.find((s: Json) => s.origin.type === originType && s.type === 'direct');
}

beforeAll(async () => {
  cycle = await startCycleEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT], jobDurationMs: JOB_MS });
});
afterAll(() => cycle.close());

describe('images: create, update, import, delete', () => {
  it('creates an image from a source (201, state new, not imported, created by the key)', async () => {
    const source = await sourceOf('docker-hub');
    const jobsBefore = (await call('GET', '/v1/jobs/latest')).body.data.map((j: Json) => j.id);
    const { status, body } = await call('POST', '/v1/images', {
      source_id: source.id,
      name: 'fresh image',
      override: { target: 'nginx:1.0.0' },
    });
    expect(status).toBe(201);
    expect(body.data).toMatchObject({
      name: 'fresh image',
      state: { current: 'new' },
      hub_id: DEMO_TENANT.cycle.hubId,
      size: 0,
      factory: null,
    });
    expect(body.data.source).toMatchObject({
      type: 'direct',
      details: { id: source.id },
      override: { target: 'nginx:1.0.0' },
    });
    expect(body.data.creator.type).toBe('api-key');
    expect(body.data.events.deleted).toBe('0001-01-01T00:00:00Z');
    expect((await call('GET', `/v1/images/${body.data.id}`)).body.data.state.current).toBe('new');
    expect((await call('GET', '/v1/jobs/latest')).body.data.map((j: Json) => j.id)).toEqual(jobsBefore);
  });

  it('refuses bad create bodies the way Cycle does', async () => {
    const missing = await call('POST', '/v1/images', { name: 'x' });
    expect([missing.status, missing.body.error.code, missing.body.error.source]).toEqual([
      422,
      '422.missing-argument',
      '/source_id',
    ]);
    const unknown = await call('POST', '/v1/images', { source_id: '000000000000000000000000' });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.source]).toEqual([
      404,
      '404.image.source',
      '/source_id',
    ]);
    const syntax = await call('POST', '/v1/images', '{"source_id": ');
    expect([syntax.status, syntax.body.error.code]).toEqual([400, '400.invalid-syntax']);
    const notObject = await call('POST', '/v1/images', '[1]');
    expect(notObject.body.error.code).toBe('400.invalid-syntax');
    const form = await call('POST', '/v1/images', 'source_id=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, form.body.error.code]).toEqual([415, '415.invalid-content-type']);
    const badBuild = await call('POST', '/v1/images', {
      source_id: (await sourceOf('docker-hub')).id,
      build: { args: { N: 1 } },
    });
    expect([badBuild.status, badBuild.body.error.source]).toEqual([422, '/build/args']);
  });

  it('renames an image with PATCH; 404 for an unknown image', async () => {
    const image = (await call('GET', '/v1/images?page[size]=1')).body.data[0];
    const { status, body } = await call('PATCH', `/v1/images/${image.id}`, { name: 'renamed' });
    expect([status, body.data.name]).toEqual([200, 'renamed']);
    expect((await call('PATCH', '/v1/images/000000000000000000000000', { name: 'x' })).body.error.code).toBe(
      '404.image',
    );
    expect((await call('PATCH', `/v1/images/${image.id}`, { name: '' })).body.error.code).toBe('422.invalid-argument');
  });

  it('imports with a 200 JobDescriptor; the image goes through the import states and is live at completion', async () => {
    const slow = await startCycleEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT], jobDurationMs: 600 });
    try {
      const request = (method: string, path: string, body?: unknown) =>
        fetch(`${slow.url}${path}`, {
          method,
          headers: { ...DEMO, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      const sources = ((await (await request('GET', '/v1/images/sources?page[size]=100')).json()) as Json).data;
      const source = sources.find((s: Json) => s.origin.type === 'docker-file');
      const image = ((await (await request('POST', '/v1/images', { source_id: source.id })).json()) as Json).data;
      const accepted = await request('POST', `/v1/images/${image.id}/tasks`, { action: 'import' });
      expect(accepted.status).toBe(200);
      const descriptor = ((await accepted.json()) as Json).data;
      expect(descriptor).toMatchObject({
        action: 'import',
        job: { id: expect.any(String), accepted: true, parallel: { tasks: false } },
      });
      expect(descriptor.job.tasks[0]).toMatchObject({ header: 'image.import', input: { id: image.id } });

      const jobStates: string[] = [];
      const imageStates: string[] = [];
      for (let done = false; !done; await new Promise((r) => setTimeout(r, 8))) {
        const job = await request('GET', `/v1/jobs/${descriptor.job.id}`);
        const jobBody = (await job.json()) as Json;
        const state = job.status === 404 ? `404:${jobBody.error.code}` : jobBody.data.state.current;
        if (jobStates.at(-1) !== state) jobStates.push(state);
        const current = ((await (await request('GET', `/v1/images/${image.id}`)).json()) as Json).data.state.current;
        if (imageStates.at(-1) !== current) imageStates.push(current);
        done = state === 'completed';
      }
      expect(jobStates[0]).toBe('404:404.job');
      expect(jobStates.slice(1)).toEqual(['new', 'queued', 'running', 'completed']);
      expect(imageStates[0]).toBe('new');
      expect(imageStates.at(-1)).toBe('live');
      expect(
        imageStates.filter((s) => ['downloading', 'building', 'verifying', 'saving'].includes(s)).length,
      ).toBeGreaterThanOrEqual(3);
      const log = await request('GET', `/v1/images/${image.id}/build-log`);
      expect(log.status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('renders the finished job per the spec: tasks and steps with timestamps, zero time nowhere left', async () => {
    const image = (await call('GET', '/v1/images?filter[state]=new&page[size]=1')).body.data[0];
    const { body } = await call('POST', `/v1/images/${image.id}/tasks`, { action: 'import' });
    const job = await waitForJob(body.data.job.id);
    expect(job).toMatchObject({
      id: body.data.job.id,
      hub_id: DEMO_TENANT.cycle.hubId,
      caption: 'Import Image',
      state: { current: 'completed', error: null },
    });
    expect(job.tasks[0].state.current).toBe('completed');
    expect(job.tasks[0].steps.map((s: Json) => s.caption)).toEqual(['Downloading', 'Building', 'Verifying', 'Saving']);
    expect(JSON.stringify(job)).not.toContain('0001-01-01');
    expect((await call('GET', `/v1/images/${image.id}`)).body.data.state.current).toBe('live');
  });

  it('refuses a second import while one runs, and bad task bodies', async () => {
    const image = (await call('GET', '/v1/images?filter[state]=new&page[size]=1')).body.data[0];
    expect((await call('POST', `/v1/images/${image.id}/tasks`, { action: 'import' })).status).toBe(200);
    expect((await call('POST', `/v1/images/${image.id}/tasks`, { action: 'import' })).body.error.code).toBe(
      '403.invalid-state',
    );
    expect((await call('POST', `/v1/images/${image.id}/tasks`, {})).body.error).toMatchObject({
      code: '422.missing-argument',
      source: '/action',
    });
    expect((await call('POST', `/v1/images/${image.id}/tasks`, { action: 'build' })).body.error.code).toBe(
      '422.invalid-argument',
    );
    expect(
      (await call('POST', '/v1/images/000000000000000000000000/tasks', { action: 'import' })).body.error.code,
    ).toBe('404.image');
  });

  it('deletes an image with a 200 JobDescriptor: deleting at once, gone when the job completes', async () => {
    const image = (await call('GET', '/v1/images?filter[state]=live&page[size]=1')).body.data[0];
    const { status, body } = await call('DELETE', `/v1/images/${image.id}`);
    expect([status, body.data.action]).toEqual([200, 'delete']);
    expect((await call('GET', `/v1/images/${image.id}`)).body.data.state.current).toBe('deleting');
    expect((await call('DELETE', `/v1/images/${image.id}`)).body.error.code).toBe('403.invalid-state');
    await waitForJob(body.data.job.id);
    expect((await call('GET', `/v1/images/${image.id}`)).body.error.code).toBe('404.image');
    expect((await call('DELETE', '/v1/images/000000000000000000000000')).body.error.code).toBe('404.image');
  });

  it('prunes the unused images of the given sources with a 202 JobDescriptor, sparing those in use', async () => {
    const source = await sourceOf('docker-registry');
    const before = (await call('GET', `/v1/images?filter[source_id]=${source.id}&page[size]=100&meta=containers_count`))
      .body.data as Json[];
    const inUse = before.filter((image) => image.meta.containers_count.total > 0).map((image) => image.id);
    expect(inUse.length).toBeGreaterThan(0);
    expect(inUse.length).toBeLessThan(before.length);
    const { status, body } = await call('POST', '/v1/images/tasks', {
      action: 'prune',
      contents: { source_ids: [source.id] },
    });
    expect([status, body.data.action]).toEqual([202, 'prune']);
    await waitForJob(body.data.job.id);
    const after = (await call('GET', `/v1/images?filter[source_id]=${source.id}&page[size]=100`)).body.data as Json[];
    expect(after.map((image) => image.id).sort()).toEqual([...inUse].sort());
    const count = (await call('GET', `/v1/images/sources/${source.id}?meta=images_count`)).body.data.meta.images_count
      .total;
    expect(count).toBe(inUse.length);
  });

  it.each([
    [{ contents: { source_ids: [] } }, '422.missing-argument', '/action'],
    [{ action: 'prune' }, '422.missing-argument', '/contents'],
    [{ action: 'prune', contents: {} }, '422.missing-argument', '/contents/source_ids'],
    [{ action: 'prune', contents: { source_ids: 'x' } }, '422.invalid-argument', '/contents/source_ids'],
    [{ action: 'purge', contents: { source_ids: [] } }, '422.invalid-argument', '/action'],
    [
      { action: 'prune', contents: { source_ids: ['000000000000000000000000'] } },
      '404.image.source',
      '/contents/source_ids/0',
    ],
  ])('refuses prune body %j with %s at %s', async (payload, code, pointer) => {
    const { body } = await call('POST', '/v1/images/tasks', payload);
    expect(body.error).toMatchObject({ code, source: pointer });
  });
});

describe('image sources: create, update, access, delete', () => {
  const origins: Record<string, unknown> = {
    'docker-hub': { type: 'docker-hub', details: { target: 'acme/worker:latest', username: 'u', token: 't' } },
    'docker-registry': {
      type: 'docker-registry',
      details: { target: 'acme/api:1.0.0', url: 'https://quay.io', username: 'u', password: 'p' },
    },
    'oci-registry': {
      type: 'oci-registry',
      details: {
        target: 'acme/docs:v3',
        url: 'https://ghcr.io',
        auth: { type: 'provider', details: { flavor: 'ecr', credentials: { region: 'us-east-1', secret: 's' } } },
      },
    },
    'docker-file': {
      type: 'docker-file',
      details: {
        repo: {
          url: 'git@github.com:acme/x.git',
          auth: { type: 'ssh', credentials: { username: 'git', passphrase: 'p', private_key: 'k' } },
        },
      },
    },
    'cycle-upload': { type: 'cycle-upload' },
    none: { type: 'none' },
  };

  it.each(Object.entries(origins))('creates a %s source (201)', async (type, origin) => {
    const { status, body } = await call('POST', '/v1/images/sources', {
      name: `My ${type}`,
      type: 'direct',
      origin,
      builder: { integration_id: 'depot-builder' },
    });
    expect(status).toBe(201);
    expect(body.data).toMatchObject({
      name: `My ${type}`,
      identifier: `my-${type}`,
      type: 'direct',
      origin: { type },
      state: { current: 'live' },
      creator: { type: 'api-key' },
    });
    if (type === 'cycle-upload')
      expect(body.data.origin.details).toEqual({ expires: expect.any(String), token: expect.any(String) });
    expect((await call('GET', `/v1/images/sources/${body.data.id}`)).status).toBe(200);
  });

  it.each([
    [{ origin: { type: 'none' } }, '422.missing-argument', '/type'],
    [{ type: 'direct' }, '422.missing-argument', '/origin'],
    [{ type: 'pipeline', origin: { type: 'none' } }, '422.invalid-argument', '/type'],
    [{ type: 'direct', origin: { type: 'ftp' } }, '422.invalid-argument', '/origin/type'],
    [{ type: 'direct', origin: { type: 'docker-hub', details: {} } }, '422.missing-argument', '/origin/details/target'],
    [
      { type: 'direct', origin: { type: 'docker-registry', details: { target: 'a:b' } } },
      '422.missing-argument',
      '/origin/details/url',
    ],
    [
      { type: 'direct', origin: { type: 'oci-registry', details: { target: 'a', url: 'u', auth: { type: 'user' } } } },
      '422.missing-argument',
      '/origin/details/auth/details',
    ],
    [
      {
        type: 'direct',
        origin: {
          type: 'docker-file',
          details: { repo: { url: 'u', auth: { type: 'http', credentials: { username: 'x' } } } },
        },
      },
      '422.missing-argument',
      '/origin/details/repo/auth/credentials/password',
    ],
    [{ type: 'direct', origin: { type: 'docker-file', details: {} } }, '422.missing-argument', '/origin/details/repo'],
    [
      { type: 'direct', origin: { type: 'cycle-source', details: { source_id: 'x' } } },
      '422.invalid-argument',
      '/origin/type',
    ],
    [
      { type: 'direct', origin: { type: 'none' }, acl: { roles: { r: { view: 'yes' } } } },
      '422.invalid-argument',
      '/acl/roles/r/view',
    ],
    [
      { type: 'direct', origin: { type: 'none' }, builder: { integration_id: 'nope' } },
      '404.hub.integration',
      '/builder/integration_id',
    ],
  ])('refuses source body %j with %s at %s', async (payload, code, pointer) => {
    const { body } = await call('POST', '/v1/images/sources', payload);
    expect(body.error).toMatchObject({ code, source: pointer });
  });

  it('updates name, identifier, origin, builder and about; ACL through /access', async () => {
    const created = (await call('POST', '/v1/images/sources', { type: 'bucket', origin: { type: 'none' } })).body.data;
    const origin = { type: 'docker-hub', details: { target: 'library/redis:v3' } };
    const { status, body } = await call('PATCH', `/v1/images/sources/${created.id}`, {
      name: 'Renamed',
      identifier: null,
      origin,
      builder: null,
      about: { description: 'about it' },
    });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      name: 'Renamed',
      identifier: 'renamed',
      origin,
      builder: null,
      about: { description: 'about it' },
    });
    expect(
      (await call('PATCH', `/v1/images/sources/${created.id}`, { origin: { type: 'docker-hub' } })).body.error.code,
    ).toBe('422.missing-argument');
    expect((await call('GET', `/v1/images/sources/${created.id}`)).body.data.name).toBe('Renamed');
    const acl = { roles: { '65f0aa01b7e5d40001a3c001': { view: true, modify: false, manage: false } } };
    expect((await call('PATCH', `/v1/images/sources/${created.id}/access`, { acl })).body.data.acl).toEqual(acl);
    expect((await call('PATCH', `/v1/images/sources/${created.id}/access`, { acl: null })).body.data.acl).toBeNull();
    expect((await call('PATCH', `/v1/images/sources/${created.id}/access`, {})).body.error).toMatchObject({
      code: '422.missing-argument',
      source: '/acl',
    });
    expect((await call('PATCH', '/v1/images/sources/000000000000000000000000', { name: 'x' })).body.error.code).toBe(
      '404.image.source',
    );
  });

  it('deletes a source with a 202 JobDescriptor: deleting during the job, gone after', async () => {
    const created = (
      await call('POST', '/v1/images/sources', { name: 'Doomed', type: 'direct', origin: { type: 'none' } })
    ).body.data;
    const { status, body } = await call('DELETE', `/v1/images/sources/${created.id}`);
    expect([status, body.data.action]).toEqual([202, 'delete']);
    expect((await call('GET', `/v1/images/sources/${created.id}`)).body.data.state.current).toBe('deleting');
    expect((await call('GET', '/v1/images/sources?filter[state]=deleting')).body.data.map((s: Json) => s.id)).toContain(
      created.id,
    );
    expect((await call('POST', '/v1/images', { source_id: created.id })).body.error.code).toBe('403.invalid-state');
    await waitForJob(body.data.job.id);
    expect((await call('GET', `/v1/images/sources/${created.id}`)).body.error.code).toBe('404.image.source');
  });
});

describe('jobs list and latest', () => {
  it('lists jobs newest first, with include=creators and filters', async () => {
    const { body } = await call('GET', '/v1/jobs?include=creators&page[size]=100');
    expect(body.data.length).toBeGreaterThan(20);
    const schedules = body.data.map((j: Json) => Date.parse(j.schedule));
    expect(schedules).toEqual([...schedules].sort((a, b) => b - a));
    expect(body.includes.creators.api_keys[body.data[0].creator.id]).toBeDefined();
    const failed = (await call('GET', '/v1/jobs?filter[state]=error')).body.data;
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].state.error.message).toEqual(expect.any(String));
    const prunes = (await call('GET', '/v1/jobs?filter[search]=PRUNE')).body.data;
    expect(prunes.length).toBeGreaterThan(0);
    expect(prunes.every((j: Json) => j.caption === 'Prune Images')).toBe(true);
    const since = new Date(Date.now() - 60_000).toISOString();
    const recent = (await call('GET', `/v1/jobs?filter[range-start]=${since}&page[size]=100`)).body.data;
    expect(recent.every((j: Json) => Date.parse(j.schedule) >= Date.parse(since))).toBe(true);
    expect((await call('GET', '/v1/jobs?filter[range-end]=yesterday')).body.error.code).toBe('422.invalid-argument');
    expect((await call('GET', '/v1/jobs?include=sources')).body.error.code).toBe('422.invalid-argument');
  });

  it('answers latest jobs and 404 404.job for an unknown job', async () => {
    const latest = (await call('GET', '/v1/jobs/latest')).body.data;
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.length).toBeLessThanOrEqual(10);
    expect((await call('GET', '/v1/jobs/000000000000000000000000')).body.error.code).toBe('404.job');
    expect((await call('GET', '/v1/jobs/nope')).status).toBe(404);
  });
});
