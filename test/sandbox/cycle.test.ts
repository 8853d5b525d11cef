/**
 * The Cycle emulator, read side, over real loopback HTTP: auth refusals, envelopes, includes and meta, filters,
 * sort, paging, the seed's shape and determinism, tenants, and the shared test controls on Cycle routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleSeedSecrets, startCycleEmulator } from '../../src/sandbox/cycle/index.js';
import { generateCycleSeed } from '../../src/sandbox/cycle/seed/index.js';
import { CATALOG_REGISTRIES, CATALOG_REPOSITORIES, DOCKER_HUB_HOST } from '../../src/sandbox/shared/catalog.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';

/** Response bodies, checked field by field. */
type Json = any;

const DEMO = { authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`, 'x-hub-id': DEMO_TENANT.cycle.hubId };
const SECOND = { authorization: `Bearer ${SECOND_TENANT.cycle.apiKey}`, 'x-hub-id': SECOND_TENANT.cycle.hubId };

let cycle: Emulator;

async function get(path: string, headers: Record<string, string> = DEMO): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${cycle.url}${path}`, { headers });
  return { status: response.status, body: await response.json() };
}

/** Every item of a collection, paging until a short page (Cycle lists carry no totals). */
async function all(path: string, headers = DEMO): Promise<Json[]> {
  const items: Json[] = [];
  for (let number = 1; ; number++) {
    const sep = path.includes('?') ? '&' : '?';
    const { body } = await get(`${path}${sep}page[size]=100&page[number]=${number}`, headers);
    items.push(...body.data);
    if (body.data.length < 100) return items;
  }
}

beforeAll(async () => {
  cycle = await startCycleEmulator({
    host: '127.0.0.1',
    port: 0,
    tenants: [DEMO_TENANT, SECOND_TENANT],
    jobDurationMs: 40,
  });
});
afterAll(() => cycle.close());

describe('auth (cycle.md §1)', () => {
  it('refuses a request without an API key with 401 401.auth-invalid in the ErrorEnvelope', async () => {
    const { status, body } = await get('/v1/images', { 'x-hub-id': DEMO_TENANT.cycle.hubId });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { status: 401, code: '401.auth-invalid' }, data: null });
  });

  it('refuses an unknown key with 401', async () => {
    const { status, body } = await get('/v1/images', { ...DEMO, authorization: 'Bearer nope' });
    expect([status, body.error.code]).toEqual([401, '401.auth-invalid']);
  });

  it('refuses a valid key without X-Hub-Id with 401, naming the header', async () => {
    const { status, body } = await get('/v1/images', { authorization: DEMO.authorization });
    expect([status, body.error.code]).toEqual([401, '401.auth-invalid']);
    expect(body.error.detail).toMatch(/X-Hub-Id/);
  });

  it('refuses a hub that is not the key’s hub with 403 403.wrong-hub', async () => {
    expect((await get('/v1/images', { ...DEMO, 'x-hub-id': SECOND_TENANT.cycle.hubId })).body.error.code).toBe(
      '403.wrong-hub',
    );
    const { status, body } = await get('/v1/jobs', { ...SECOND, 'x-hub-id': DEMO_TENANT.cycle.hubId });
    expect([status, body.error.code]).toEqual([403, '403.wrong-hub']);
  });

  it('reads header names case-insensitively', async () => {
    const response = await fetch(`${cycle.url}/v1/images?page[size]=1`, {
      headers: { AUTHORIZATION: DEMO.authorization, 'X-HUB-ID': DEMO['x-hub-id'] },
    });
    expect(response.status).toBe(200);
  });

  it('answers unknown routes in Cycle’s error form', async () => {
    const { status, body } = await get('/v1/containers');
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: '404.uri' }, data: null });
  });
});

describe('images list: envelope, paging, includes, meta', () => {
  it('returns {data} with the default page of 20 and no totals or links', async () => {
    const { status, body } = await get('/v1/images');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['data']);
    expect(body.data).toHaveLength(20);
    expect(body.data[0].meta).toBeUndefined();
  });

  it('pages with page[number]/page[size]; pages are disjoint and a short page ends the list', async () => {
    const first = (await get('/v1/images?page[size]=7&page[number]=1')).body.data;
    const second = (await get('/v1/images?page[size]=7&page[number]=2')).body.data;
    expect(first).toHaveLength(7);
    expect(new Set([...first, ...second].map((i: Json) => i.id)).size).toBe(14);
    const images = await all('/v1/images');
    expect(images.length).toBeGreaterThanOrEqual(200);
    expect(new Set(images.map((i) => i.id)).size).toBe(images.length);
    const beyond = (await get(`/v1/images?page[size]=100&page[number]=${Math.ceil(images.length / 100) + 1}`)).body
      .data;
    expect(beyond).toEqual([]);
  });

  it.each(['page[size]=101', 'page[size]=0', 'page[size]=abc', 'page[number]=0', 'page[number]=1.5'])(
    'refuses %s with 422 422.invalid-argument',
    async (query) => {
      const { status, body } = await get(`/v1/images?${query}`);
      expect([status, body.error.code]).toEqual([422, '422.invalid-argument']);
    },
  );

  it('serves the issue’s example: 5 images, the sources of exactly those images, creators, containers_count objects', async () => {
    const { body } = await get('/v1/images?page[size]=5&include=sources,creators&meta=containers_count');
    expect(body.data).toHaveLength(5);
    const sourceIds = new Set(body.data.map((i: Json) => i.source.details.id));
    expect(new Set(Object.keys(body.includes.sources))).toEqual(sourceIds);
    for (const [id, source] of Object.entries<Json>(body.includes.sources)) expect(source.id).toBe(id);
    for (const [identifier, ids] of Object.entries<Json>(body.includes['sources:identifiers'])) {
      for (const id of ids) expect(body.includes.sources[id].identifier).toBe(identifier);
    }
    expect(Object.keys(body.includes.creators).sort()).toEqual([
      'accounts',
      'api_keys',
      'employees',
      'environments',
      'visitors',
    ]);
    for (const image of body.data) {
      expect(image.meta.containers_count).toEqual({
        state: expect.any(Object),
        total: expect.any(Number),
        available: expect.any(Number),
      });
    }
  });

  it('accepts include as repeated keys and comma-joined alike', async () => {
    const repeated = await get('/v1/images?page[size]=10&include=sources&include=creators&meta=containers_count');
    const joined = await get('/v1/images?page[size]=10&include=sources,creators&meta=containers_count');
    expect(repeated.body).toEqual(joined.body);
  });

  it('groups creators by kind and includes each creator once', async () => {
    const { body } = await get('/v1/images?page[size]=100&include=creators');
    const scopes = body.data.map((i: Json) => i.creator);
    const group: Record<string, string> = {
      account: 'accounts',
      'api-key': 'api_keys',
      employee: 'employees',
      visitor: 'visitors',
      environment: 'environments',
    };
    for (const scope of scopes) {
      if (group[scope.type]) expect(body.includes.creators[group[scope.type]!][scope.id].id).toBe(scope.id);
    }
    expect(new Set(scopes.map((s: Json) => s.type)).size).toBeGreaterThanOrEqual(4);
  });

  it('includes stacks, stack builds and integrations with their identifier maps', async () => {
    const stackImages = await get(
      '/v1/images?filter[source_type]=stack-build&include=stacks,stack_builds&page[size]=100',
    );
    expect(stackImages.body.data.length).toBeGreaterThan(0);
    for (const image of stackImages.body.data)
      expect(stackImages.body.includes.stacks[image.source.details.stack_id]).toBeDefined();
    expect(Object.keys(stackImages.body.includes.stack_builds).length).toBeGreaterThan(0);
    expect(Object.keys(stackImages.body.includes['stacks:identifiers']).length).toBeGreaterThan(0);
    const built = (await all('/v1/images?include=integrations')).filter((i) => i.builder);
    expect(built.length).toBeGreaterThan(0);
    const { body } = await get(`/v1/images/${built[0].id}?include=integrations`);
    expect(body.includes.integrations[built[0].builder.integration_id]).toBeDefined();
  });

  it.each(['include=containers', 'meta=images_count', 'include=sources,bogus'])(
    'refuses %s with 422',
    async (query) => {
      const { status, body } = await get(`/v1/images?${query}`);
      expect([status, body.error.code]).toEqual([422, '422.invalid-argument']);
    },
  );
});

describe('images filters and sort', () => {
  it('filters by state as a comma list', async () => {
    const images = await all('/v1/images?filter[state]=new,deleting');
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images.map((i) => i.state.current))).toEqual(new Set(['new', 'deleting']));
  });

  it('filters by source_type and source_id', async () => {
    for (const type of ['direct', 'stack-build', 'bucket']) {
      const images = await all(`/v1/images?filter[source_type]=${type}`);
      expect(images.length).toBeGreaterThan(0);
      expect(images.every((i) => i.source.type === type)).toBe(true);
    }
    const sourceId = (await get('/v1/images?page[size]=1')).body.data[0].source.details.id;
    const ofSource = await all(`/v1/images?filter[source_id]=${sourceId}`);
    expect(ofSource.length).toBeGreaterThan(0);
    expect(ofSource.every((i) => i.source.details.id === sourceId)).toBe(true);
  });

  it('searches names case-insensitively and filters by the source identifier', async () => {
    const images = await all('/v1/images?filter[search]=NGINX');
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((i) => /nginx/i.test(i.name))).toBe(true);
    const source = (await get('/v1/images/sources?filter[search]=nginx')).body.data[0];
    const byIdentifier = await all(`/v1/images?filter[identifier]=${source.identifier}`);
    expect(byIdentifier.every((i) => i.source.details.id === source.id)).toBe(true);
  });

  it('sorts by any field, `-` for descending, dotted paths included', async () => {
    const byName = (await get('/v1/images?sort=name&page[size]=50')).body.data.map((i: Json) => i.name);
    expect(byName).toEqual([...byName].sort());
    const bySize = (await get('/v1/images?sort=-size&page[size]=50')).body.data.map((i: Json) => i.size);
    expect(bySize).toEqual([...bySize].sort((a, b) => b - a));
    const byState = (await get('/v1/images?sort=state.current,-events.created&page[size]=100')).body.data.map(
      (i: Json) => i.state.current,
    );
    expect(byState).toEqual([...byState].sort());
    expect((await get('/v1/images?sort=-nonsense')).body.error.code).toBe('422.invalid-argument');
  });
});

describe('single images and build logs', () => {
  it('gets an image with includes and meta; answers 404 404.image for unknown and malformed ids', async () => {
    const id = (await get('/v1/images?page[size]=1')).body.data[0].id;
    const { status, body } = await get(`/v1/images/${id}?include=sources&meta=containers_count`);
    expect(status).toBe(200);
    expect(body.data.id).toBe(id);
    expect(Object.keys(body.includes.sources)).toEqual([body.data.source.details.id]);
    for (const bad of ['000000000000000000000000', 'not-an-id']) {
      const missing = await get(`/v1/images/${bad}`);
      expect([missing.status, missing.body.error.code]).toEqual([404, '404.image']);
    }
  });

  it('serves build logs, and 404 404.image.build-log for an image without one', async () => {
    const images = await all('/v1/images');
    let withLog = 0;
    let withoutLog = 0;
    for (const image of images.slice(0, 40)) {
      const { status, body } = await get(`/v1/images/${image.id}/build-log`);
      if (status === 200) {
        withLog++;
        expect(body.data).toMatchObject({
          image_id: image.id,
          hub_id: DEMO_TENANT.cycle.hubId,
          log: expect.any(String),
        });
      } else {
        withoutLog++;
        expect([status, body.error.code]).toEqual([404, '404.image.build-log']);
      }
    }
    expect(withLog).toBeGreaterThan(0);
    expect(withoutLog).toBeGreaterThan(0);
    expect((await get('/v1/images/000000000000000000000000/build-log')).body.error.code).toBe('404.image');
  });
});

describe('image sources', () => {
  it('lists sources with images_count meta that matches the images list', async () => {
    const sources = await all('/v1/images/sources?meta=images_count');
    expect(sources.length).toBeGreaterThanOrEqual(20);
    const sample = sources[0];
    const images = await all(`/v1/images?filter[source_id]=${sample.id}`);
    expect(sample.meta.images_count.total).toBe(images.length);
    expect(Object.keys(sample.meta.images_count.state).sort()).toEqual([
      'building',
      'deleting',
      'downloading',
      'live',
      'new',
      'saving',
      'verifying',
    ]);
  });

  it('filters sources by identifier, search and state; includes integrations named by id or identifier', async () => {
    const sources = await all('/v1/images/sources?include=integrations');
    const target = sources[3];
    expect((await all(`/v1/images/sources?filter[identifier]=${target.identifier}`)).map((s) => s.id)).toContain(
      target.id,
    );
    expect(
      (await all(`/v1/images/sources?filter[search]=${target.name.slice(0, 4).toUpperCase()}`)).map((s) => s.id),
    ).toContain(target.id);
    expect(await all('/v1/images/sources?filter[state]=deleting')).toEqual([]);
    const { body } = await get('/v1/images/sources?page[size]=100&include=integrations,creators');
    const byIdentifier = body.data.find(
      (s: Json) => s.builder?.integration_id && !/^[0-9a-f]{24}$/.test(s.builder.integration_id),
    );
    expect(byIdentifier).toBeDefined();
    const [id] = body.includes['integrations:identifiers'][byIdentifier.builder.integration_id];
    expect(body.includes.integrations[id].identifier).toBe(byIdentifier.builder.integration_id);
  });

  it('gets a source, 404 404.image.source otherwise', async () => {
    const source = (await get('/v1/images/sources?page[size]=1')).body.data[0];
    const { body } = await get(`/v1/images/sources/${source.id}?meta=images_count&include=creators`);
    expect(body.data.id).toBe(source.id);
    expect(body.data.meta.images_count.total).toBeGreaterThan(0);
    expect((await get('/v1/images/sources/000000000000000000000000')).body.error.code).toBe('404.image.source');
    expect((await get('/v1/images/sources?include=stacks')).body.error.code).toBe('422.invalid-argument');
  });
});

describe('seed', () => {
  it('covers the origin kinds, source types and creator kinds the issue asks for', async () => {
    const sources = await all('/v1/images/sources');
    expect(new Set(sources.map((s) => s.origin.type))).toEqual(
      new Set(['docker-hub', 'docker-registry', 'oci-registry', 'docker-file', 'cycle-upload', 'none']),
    );
    expect(new Set(sources.map((s) => s.type))).toEqual(new Set(['direct', 'stack-build', 'bucket']));
    const ociAuth = new Set(
      sources.filter((s) => s.origin.type === 'oci-registry').map((s) => s.origin.details.auth?.type ?? null),
    );
    expect(ociAuth).toEqual(new Set(['user', 'provider', 'webhook', null]));
    const repoAuth = new Set(
      sources.filter((s) => s.origin.type === 'docker-file').map((s) => s.origin.details.repo?.auth?.type ?? null),
    );
    expect(repoAuth).toEqual(new Set(['http', 'ssh', null]));
    const images = await all('/v1/images');
    expect(new Set(images.map((i) => i.creator.type))).toEqual(
      new Set(['account', 'api-key', 'employee', 'visitor', 'environment', 'platform', 'platform-pipeline']),
    );
    expect(new Set(images.map((i) => i.state.current)).size).toBeGreaterThanOrEqual(6);
    expect(images.some((i) => i.events.deleted === '0001-01-01T00:00:00Z')).toBe(true);
    expect(images.some((i) => i.factory === null)).toBe(true);
  });

  it('names catalogue repositories in every registry-backed origin, target consistent with the URL’s host', async () => {
    const names = new Set(CATALOG_REPOSITORIES.map((r) => r.name));
    const sources = (await all('/v1/images/sources')).filter((s) =>
      ['docker-hub', 'docker-registry', 'oci-registry'].includes(s.origin.type),
    );
    expect(sources.length).toBeGreaterThan(8);
    for (const { origin } of sources) {
      const path = origin.details.target.replace(/:[^:/]+$/, '');
      if (origin.type === 'docker-hub') {
        expect(names.has(path) || names.has(`library/${path}`)).toBe(true);
      } else {
        const host = new URL(origin.details.url).hostname;
        expect(CATALOG_REGISTRIES.some((r) => r.host === host && r.host !== DOCKER_HUB_HOST)).toBe(true);
        expect(names.has(`${host}/${path}`)).toBe(true);
      }
    }
  });

  it('returns origin secrets as the API does, and cycleSeedSecrets lists exactly them', async () => {
    const text = JSON.stringify(await all('/v1/images/sources'));
    const found = new Set(text.match(/SANDBOX-SECRET-[0-9a-f]+/g));
    const listed = cycleSeedSecrets(0);
    expect(listed.length).toBeGreaterThanOrEqual(10);
    for (const secret of listed) expect(text).toContain(JSON.stringify(secret).slice(1, -1));
    for (const token of found) expect(listed.some((s) => s.includes(token))).toBe(true);
    expect(cycleSeedSecrets(1).some((s) => listed.includes(s))).toBe(false);
  });

  it('is deterministic per variant', async () => {
    expect(generateCycleSeed(0, DEMO_TENANT.cycle.hubId)).toEqual(generateCycleSeed(0, DEMO_TENANT.cycle.hubId));
    const other = await startCycleEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT], jobDurationMs: 40 });
    try {
      const a = await get('/v1/images?page[size]=50&include=sources,creators');
      const b = await (
        await fetch(`${other.url}/v1/images?page[size]=50&include=sources,creators`, { headers: DEMO })
      ).json();
      expect(b).toEqual(a.body);
    } finally {
      await other.close();
    }
  });

  it('gives the second tenant its own, smaller, non-empty hub', async () => {
    const mine = await all('/v1/images');
    const theirs = await all('/v1/images', SECOND);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.length).toBeLessThan(mine.length);
    expect(theirs.every((i) => i.hub_id === SECOND_TENANT.cycle.hubId)).toBe(true);
    const mineIds = new Set(mine.map((i) => i.id));
    expect(theirs.some((i) => mineIds.has(i.id))).toBe(false);
    expect((await get(`/v1/images/${theirs[0].id}`)).body.error.code).toBe('404.image');
    expect((await all('/v1/images/sources', SECOND)).length).toBeGreaterThan(0);
  });
});

describe('test controls on Cycle routes', () => {
  it('logs requests and injects faults with Cycle’s own error body', async () => {
    cycle.resetRequests();
    cycle.injectFault({ path: '/v1/images/sources', status: 503, times: 1 });
    const faulted = await get('/v1/images/sources');
    expect(faulted.status).toBe(503);
    expect(faulted.body).toMatchObject({ error: { status: 503, code: '503.not-ready' }, data: null });
    expect((await get('/v1/images/sources?page[size]=1')).status).toBe(200);
    const log = cycle.requests();
    expect(log.map((r) => [r.path, r.status])).toEqual([
      ['/v1/images/sources', 503],
      ['/v1/images/sources', 200],
    ]);
    expect(log[1]!.query).toBe('page[size]=1');
  });

  it('takes faults over HTTP too', async () => {
    const post = await fetch(`${cycle.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/v1/jobs', status: 429, retryAfter: 2, times: 1 }),
    });
    expect(post.status).toBe(201);
    const response = await fetch(`${cycle.url}/v1/jobs`, { headers: DEMO });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(((await response.json()) as Json).error.code).toBe('429.rate-limiting');
    await fetch(`${cycle.url}/__sandbox/faults`, { method: 'DELETE' });
  });

  it('applies a fault to one credential only when it names an Authorization', async () => {
    const post = await fetch(`${cycle.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/v1/images', status: 503, authorization: SECOND.authorization }),
    });
    expect(post.status).toBe(201);
    try {
      expect((await get('/v1/images?page[size]=1', SECOND)).status).toBe(503);
      expect((await get('/v1/images?page[size]=1', SECOND)).status).toBe(503);
      expect((await get('/v1/images?page[size]=1', DEMO)).status).toBe(200);
    } finally {
      await fetch(`${cycle.url}/__sandbox/faults`, { method: 'DELETE' });
    }
    const refused = await fetch(`${cycle.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/v1/images', status: 503, authorization: '' }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Json).error).toBe('"authorization" must be a non-empty string');
  });
});
