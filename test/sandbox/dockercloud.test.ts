/**
 * The Docker Cloud emulator over real loopback HTTP: auth, namespaces, every endpoint, filters, paging, the
 * trailing slash, errors, faults, seed determinism and tenant isolation (docker-cloud-repository.md).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dockerCloudSeedSecrets, startDockerCloudEmulator } from '../../src/sandbox/dockercloud/index.js';
import { CATALOG_REGISTRIES, CATALOG_REPOSITORIES, DOCKER_HUB_HOST } from '../../src/sandbox/shared/catalog.js';
import { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';

const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const DEMO_AUTH = basic(DEMO_TENANT.dockercloud.username, DEMO_TENANT.dockercloud.apiKey);
const SECOND_AUTH = basic(SECOND_TENANT.dockercloud.username, SECOND_TENANT.dockercloud.apiKey);
const THIRD_PARTY = CATALOG_REPOSITORIES.filter((r) => r.registryHost !== DOCKER_HUB_HOST);
const DOCKER_HUB = CATALOG_REPOSITORIES.filter((r) => r.registryHost === DOCKER_HUB_HOST);

let emulator: Emulator;
/** Every body received, to prove no secret ever comes back out. */
const received: string[] = [];

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function call(
  method: string,
  path: string,
  init: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const auth = init.auth === undefined ? DEMO_AUTH : init.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${emulator.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  received.push(text);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A raw request, for paths `fetch` would normalise (`..` segments). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, headers: { authorization: DEMO_AUTH, accept: 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  emulator = await startDockerCloudEmulator({
    host: '127.0.0.1',
    port: 0,
    tenants: [DEMO_TENANT, SECOND_TENANT],
    jobDurationMs: 40,
  });
});
afterAll(async () => {
  expect(received.filter((body) => body.includes('SANDBOX-SECRET-'))).toEqual([]);
  await emulator.close();
});
beforeEach(() => emulator.clearFaults());

describe('auth', () => {
  it.each([
    ['no header', null],
    ['a wrong key', basic('sandbox', 'nope')],
    ['an unknown user', basic('someone', 'sandbox-api-key')],
    ['a bearer token', 'Bearer sandbox-api-key'],
    ['undecodable base64', 'Basic !!!'],
    ['no colon', `Basic ${Buffer.from('sandbox').toString('base64')}`],
  ])('refuses %s with 401 {"error"}', async (_label, auth) => {
    const res = await call('GET', '/api/repo/v1/repository/', { auth });
    expect(res.status).toBe(401);
    expect(Object.keys(res.json)).toEqual(['error']);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('accepts the API-role form (the header value sent verbatim, any scheme case)', async () => {
    const verbatim = `basic ${DEMO_AUTH.slice('Basic '.length)}`;
    expect((await call('GET', '/api/repo/v1/repository/', { auth: verbatim })).status).toBe(200);
  });

  it('puts an audit action URI on every authenticated response (§1)', async () => {
    const ok = await call('GET', '/api/repo/v1/registry/');
    const missing = await call('GET', '/api/repo/v1/repository/quay.io/acme/none/');
    for (const res of [ok, missing])
      expect(res.headers.get('x-dockercloud-action-uri')).toMatch(/^\/api\/audit\/v1\/action\/[0-9a-f-]{36}\/$/);
  });

  it('refuses an Accept that excludes JSON with 415', async () => {
    const res = await call('GET', '/api/repo/v1/repository/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(415);
    expect(typeof res.json.error).toBe('string');
  });
});

describe('repository list', () => {
  it('lists only third-party repositories, 25 per page, with a relative next link', async () => {
    const res = await call('GET', '/api/repo/v1/repository/');
    expect(res.status).toBe(200);
    expect(res.json.meta).toEqual({
      limit: 25,
      next: '/api/repo/v1/repository/?limit=25&offset=25',
      offset: 0,
      previous: null,
      total_count: THIRD_PARTY.length,
    });
    expect(res.json.objects).toHaveLength(25);
    expect(res.json.objects.every((r: { registry: string }) => !r.registry.includes(DOCKER_HUB_HOST))).toBe(true);
    const names = res.json.objects.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort());
  });

  it('follows next/previous to the end, keeping filters in the links', async () => {
    const first = await call('GET', '/api/repo/v1/repository/?registry=quay.io&limit=3');
    expect(first.json.meta.next).toBe('/api/repo/v1/repository/?registry=quay.io&limit=3&offset=3');
    const seen: string[] = [];
    let next: string | null = '/api/repo/v1/repository/?registry=quay.io&limit=3';
    let last: Reply | undefined;
    while (next) {
      last = await call('GET', next);
      seen.push(...last.json.objects.map((r: { name: string }) => r.name));
      next = last.json.meta.next;
    }
    expect(seen).toEqual(
      THIRD_PARTY.filter((r) => r.registryHost === 'quay.io')
        .map((r) => r.name)
        .sort(),
    );
    expect(last!.json.meta.previous).toBe('/api/repo/v1/repository/?registry=quay.io&limit=3&offset=3');
  });

  it('follows Tastypie for previous (null when offset - limit < 0), limit=0 and the cap', async () => {
    expect((await call('GET', '/api/repo/v1/repository/?offset=10')).json.meta.previous).toBeNull();
    expect((await call('GET', '/api/repo/v1/repository/?limit=0')).json.meta.limit).toBe(100);
    const capped = await call('GET', '/api/repo/v1/repository/?limit=500');
    expect(capped.json.meta).toMatchObject({ limit: 100, next: null });
    expect(capped.json.objects).toHaveLength(THIRD_PARTY.length);
    expect((await call('GET', '/api/repo/v1/repository/?offset=1000')).json.objects).toEqual([]);
  });

  it.each(['limit=abc', 'limit=-1', 'offset=x', 'offset=-5'])('answers %s with 400 {"error"}', async (query) => {
    const res = await call('GET', `/api/repo/v1/repository/?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^Invalid (limit|offset)/);
  });

  it('filters by exact name and by registry host or resource URI (either form)', async () => {
    const byName = await call('GET', '/api/repo/v1/repository/?name=ghcr.io/acme/cli');
    expect(byName.json.objects.map((r: { name: string }) => r.name)).toEqual(['ghcr.io/acme/cli']);
    expect((await call('GET', '/api/repo/v1/repository/?name=ghcr.io/acme')).json.meta.total_count).toBe(0);
    const expected = THIRD_PARTY.filter((r) => r.registryHost === 'gcr.io').length;
    for (const registry of [
      'gcr.io',
      '/api/repo/v1/registry/gcr.io/',
      '/api/repo/v1/sandbox/registry/gcr.io/',
      'https://cloud.docker.com/api/repo/v1/registry/gcr.io/',
    ]) {
      const res = await call('GET', `/api/repo/v1/repository/?registry=${encodeURIComponent(registry)}`);
      expect(res.json.meta.total_count).toBe(expected);
    }
    expect((await call('GET', '/api/repo/v1/repository/?registry=nowhere.example')).json.objects).toEqual([]);
  });
});

describe('repository detail', () => {
  it('gets a repository by its name, slashes unencoded, in either URL form', async () => {
    for (const path of [
      '/api/repo/v1/repository/registry.gitlab.com/acme/platform/deployer/',
      '/api/repo/v1/sandbox/repository/registry.gitlab.com/acme/platform/deployer/',
    ]) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        name: 'registry.gitlab.com/acme/platform/deployer',
        registry: '/api/repo/v1/sandbox/registry/registry.gitlab.com/',
        resource_uri: '/api/repo/v1/sandbox/repository/registry.gitlab.com/acme/platform/deployer/',
      });
      expect(typeof res.json.in_use).toBe('boolean');
    }
  });

  it('fetches Docker Hub repositories by name although the list never shows them', async () => {
    for (const repo of DOCKER_HUB) {
      const res = await call('GET', `/api/repo/v1/repository/${repo.name}/`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        name: repo.name,
        registry: `/api/repo/v1/sandbox/registry/${DOCKER_HUB_HOST}/`,
        state: expect.any(String),
        tags: expect.any(Array),
      });
      expect((await call('GET', `/api/repo/v1/repository/?name=${repo.name}`)).json.meta.total_count).toBe(0);
    }
    expect((await call('GET', `/api/repo/v1/repository/${DOCKER_HUB_HOST}/acme/worker/`)).json.name).toBe(
      'acme/worker',
    );
  });

  it('seeds the optional observed fields on some repositories and both in_use values', async () => {
    const all = (await call('GET', '/api/repo/v1/repository/?limit=100')).json.objects as Record<string, unknown>[];
    expect(all.some((r) => 'state' in r)).toBe(true);
    expect(all.some((r) => !('state' in r))).toBe(true);
    expect(new Set(all.map((r) => r.in_use))).toEqual(new Set([true, false]));
  });

  it.each([
    ['an unknown name', '/api/repo/v1/repository/quay.io/acme/none/'],
    ['a single component', '/api/repo/v1/repository/nginx/'],
    ['an empty name', '/api/repo/v1/repository//'],
    ['an encoded .. segment', '/api/repo/v1/repository/quay.io/%2e%2e/api/'],
    ['an uppercase path', '/api/repo/v1/repository/quay.io/ACME/api/'],
    ['a tag', '/api/repo/v1/repository/quay.io/acme/api:1.0/'],
    ['a namespace-looking name', '/api/repo/v1/repository/repository/'],
    ['an unknown registry', '/api/repo/v1/registry/nowhere.example/'],
    ['a registry host with a path', '/api/repo/v1/registry/quay.io/acme/'],
  ])('answers %s with 404 {"error"}', async (_label, path) => {
    const res = await call('GET', path);
    expect(res.status).toBe(404);
    expect(Object.keys(res.json)).toEqual(['error']);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await call('HEAD', '/api/repo/v1/repository/quay.io/acme/api/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('answers a raw .. segment with 404', async () => {
    const res = await rawGet('/api/repo/v1/repository/quay.io/acme/../acme/api/');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toHaveProperty('error');
  });
});

describe('trailing slash (Django APPEND_SLASH)', () => {
  it('redirects a GET without the slash, keeping the query', async () => {
    for (const [path, location] of [
      ['/api/repo/v1/repository', '/api/repo/v1/repository/'],
      ['/api/repo/v1/registry?host=quay.io', '/api/repo/v1/registry/?host=quay.io'],
      ['/api/repo/v1/acme/repository', '/api/repo/v1/acme/repository/'],
      ['/api/repo/v1/repository/quay.io/acme/api', '/api/repo/v1/repository/quay.io/acme/api/'],
      ['/api/repo/v1/registry/quay.io', '/api/repo/v1/registry/quay.io/'],
    ] as const) {
      const res = await call('GET', path, { auth: null });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(location);
    }
  });

  it('answers other methods without the slash with 404', async () => {
    expect((await call('POST', '/api/repo/v1/repository', { body: { name: 'quay.io/acme/x' } })).status).toBe(404);
    expect((await call('PATCH', '/api/repo/v1/repository/quay.io/acme/api', { body: {} })).status).toBe(404);
    expect((await call('DELETE', '/api/repo/v1/repository/quay.io/acme/api')).status).toBe(404);
    expect((await call('GET', '/api/repo/v1/repository/quay.io/acme/api/')).status).toBe(200);
  });
});

describe('repository writes', () => {
  it('creates, reads, lists, updates credentials, and deletes a repository', async () => {
    const created = await call('POST', '/api/repo/v1/repository/', {
      body: { name: 'registry.local/user1/image1', username: 'u', password: 'SANDBOX-SECRET-created' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      in_use: false,
      name: 'registry.local/user1/image1',
      registry: '/api/repo/v1/sandbox/registry/registry.local/',
      resource_uri: '/api/repo/v1/sandbox/repository/registry.local/user1/image1/',
    });
    expect(created.headers.get('location')).toBe(created.json.resource_uri);
    expect((await call('GET', '/api/repo/v1/repository/registry.local/user1/image1/')).status).toBe(200);
    expect((await call('GET', '/api/repo/v1/repository/?name=registry.local/user1/image1')).json.meta.total_count).toBe(
      1,
    );

    const patched = await call('PATCH', '/api/repo/v1/repository/registry.local/user1/image1/', {
      body: { username: 'v', password: 'SANDBOX-SECRET-patched' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual(created.json);

    const deleted = await call('DELETE', '/api/repo/v1/repository/registry.local/user1/image1/');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await call('GET', '/api/repo/v1/repository/registry.local/user1/image1/')).status).toBe(404);
    expect((await call('DELETE', '/api/repo/v1/repository/registry.local/user1/image1/')).status).toBe(404);
  });

  it('creates a Docker Hub repository from a host-less name, fetchable but not listed', async () => {
    const created = await call('POST', '/api/repo/v1/repository/', { body: { name: 'acme/new-hub' } });
    expect(created.status).toBe(201);
    expect(created.json.registry).toBe(`/api/repo/v1/sandbox/registry/${DOCKER_HUB_HOST}/`);
    expect((await call('GET', '/api/repo/v1/repository/acme/new-hub/')).status).toBe(200);
    expect((await call('GET', '/api/repo/v1/repository/?name=acme/new-hub')).json.meta.total_count).toBe(0);
    expect((await call('DELETE', '/api/repo/v1/repository/acme/new-hub/')).status).toBe(204);
  });

  it('adds a repository on a registry host outside its catalogue, and then knows that registry (seed 003)', async () => {
    const host = 'registry.example.com:5443';
    const created = await call('POST', '/api/repo/v1/repository/', {
      body: { name: `${host}/team/app`, username: 'u', password: 'SANDBOX-SECRET-third-party' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      in_use: false,
      name: `${host}/team/app`,
      registry: `/api/repo/v1/sandbox/registry/${host}/`,
      resource_uri: `/api/repo/v1/sandbox/repository/${host}/team/app/`,
    });
    const listed = await call('GET', `/api/repo/v1/repository/?registry=${encodeURIComponent(created.json.registry)}`);
    expect(listed.json.objects.map((r: { name: string }) => r.name)).toEqual([`${host}/team/app`]);
    const registry = await call('GET', `/api/repo/v1/registry/${host}/`);
    expect(registry.status).toBe(200);
    expect(registry.json).toMatchObject({ host, name: host, port: 5443, is_docker_registry: false });
    const again = await call('GET', `/api/repo/v1/registry/${host}/`);
    expect(again.json.uuid).toBe(registry.json.uuid);
    expect((await call('GET', `/api/repo/v1/registry/?host=${host}`)).json.objects).toHaveLength(1);
    // Another tenant's namespace does not see a registry only this one's repositories are on.
    expect((await call('GET', `/api/repo/v1/registry/${host}/`, { auth: SECOND_AUTH })).status).toBe(404);
    expect((await call('DELETE', `/api/repo/v1/repository/${host}/team/app/`)).status).toBe(204);
    expect((await call('GET', `/api/repo/v1/registry/${host}/`)).status).toBe(404);
  });

  it.each([
    ['a missing name', {}, 400],
    ['an empty name', { name: '' }, 400],
    ['an invalid name', { name: 'quay.io/../x' }, 400],
    ['a non-string password', { name: 'quay.io/acme/x', password: 5 }, 400],
    ['a non-object body', [1, 2], 400],
    ['a duplicate', { name: 'quay.io/acme/api' }, 409],
  ])('refuses %s', async (_label, body, status) => {
    const res = await call('POST', '/api/repo/v1/repository/', { body });
    expect(res.status).toBe(status);
    expect(Object.keys(res.json)).toEqual(['error']);
  });

  it('answers a missing Content-Type or invalid JSON with 415', async () => {
    const attempts: { body: string; headers: Record<string, string> }[] = [
      { body: '{"name": "quay.io/acme/x"}', headers: { 'content-type': 'text/plain' } },
      { body: '{"name": ', headers: {} },
    ];
    for (const init of attempts) {
      const post = await call('POST', '/api/repo/v1/repository/', init);
      expect(post.status).toBe(415);
      expect(post.json).toHaveProperty('error');
    }
    const patch = await call('PATCH', '/api/repo/v1/repository/quay.io/acme/api/', {
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(patch.status).toBe(415);
  });

  it('answers 404 when patching an unknown repository and 405 for unsupported methods', async () => {
    expect((await call('PATCH', '/api/repo/v1/repository/quay.io/acme/none/', { body: {} })).status).toBe(404);
    for (const [method, path] of [
      ['PUT', '/api/repo/v1/repository/quay.io/acme/api/'],
      ['POST', '/api/repo/v1/repository/quay.io/acme/api/'],
      ['DELETE', '/api/repo/v1/repository/'],
      ['POST', '/api/repo/v1/registry/'],
      ['DELETE', '/api/repo/v1/registry/quay.io/'],
      ['PATCH', '/api/repo/v1/acme/registry/quay.io/'],
    ] as const) {
      const res = await call(method, path, method === 'DELETE' ? {} : { body: {} });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(Object.keys(res.json)).toEqual(['error']);
      expect(res.headers.get('allow')).toBeTruthy();
    }
  });
});

describe('registries', () => {
  it('lists every registry with the documented attributes and a uuid', async () => {
    const res = await call('GET', '/api/repo/v1/registry/');
    expect(res.json.meta).toEqual({
      limit: 25,
      next: null,
      offset: 0,
      previous: null,
      total_count: CATALOG_REGISTRIES.length,
    });
    expect(res.json.objects[0]).toMatchObject({
      host: DOCKER_HUB_HOST,
      is_docker_registry: true,
      is_ssl: true,
      name: 'Docker Hub',
      port: 443,
      resource_uri: `/api/repo/v1/sandbox/registry/${DOCKER_HUB_HOST}/`,
    });
  });

  it('filters by uuid, name, host and is_docker_registry', async () => {
    const all = (await call('GET', '/api/repo/v1/registry/')).json.objects as { uuid: string; host: string }[];
    const quay = all.find((r) => r.host === 'quay.io')!;
    expect((await call('GET', `/api/repo/v1/registry/?uuid=${quay.uuid}`)).json.objects).toEqual([quay]);
    expect((await call('GET', '/api/repo/v1/registry/?name=Quay')).json.objects).toEqual([quay]);
    expect((await call('GET', '/api/repo/v1/registry/?host=quay.io')).json.objects).toEqual([quay]);
    expect((await call('GET', '/api/repo/v1/registry/?is_docker_registry=true')).json.meta.total_count).toBe(1);
    expect((await call('GET', '/api/repo/v1/registry/?is_docker_registry=false')).json.meta.total_count).toBe(
      CATALOG_REGISTRIES.length - 1,
    );
    expect((await call('GET', '/api/repo/v1/registry/?is_docker_registry=maybe')).status).toBe(400);
  });

  it('gets a registry by host, namespaced or not', async () => {
    expect((await call('GET', `/api/repo/v1/registry/${DOCKER_HUB_HOST}/`)).json.name).toBe('Docker Hub');
    expect((await call('GET', '/api/repo/v1/acme/registry/quay.io/')).json.resource_uri).toBe(
      '/api/repo/v1/acme/registry/quay.io/',
    );
  });
});

describe('namespaces and tenants', () => {
  it("serves the organisation's own repositories under its namespace", async () => {
    const res = await call('GET', '/api/repo/v1/acme/repository/');
    expect(res.json.meta.total_count).toBeGreaterThan(0);
    expect(
      res.json.objects.every((r: { resource_uri: string }) =>
        r.resource_uri.startsWith('/api/repo/v1/acme/repository/'),
      ),
    ).toBe(true);
    expect((await call('GET', '/api/repo/v1/acme/repository/acme/worker/')).json.resource_uri).toBe(
      '/api/repo/v1/acme/repository/acme/worker/',
    );
    expect((await call('GET', '/api/repo/v1/sandbox/repository/')).json.meta.total_count).toBe(THIRD_PARTY.length);
  });

  it("answers 404 for an unknown namespace and for another tenant's namespaces", async () => {
    for (const path of [
      '/api/repo/v1/nobody/repository/',
      '/api/repo/v1/globex/repository/',
      '/api/repo/v1/sandbox-b/registry/',
    ]) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(Object.keys(res.json)).toEqual(['error']);
    }
    expect((await call('GET', '/api/repo/v1/acme/repository/', { auth: SECOND_AUTH })).status).toBe(404);
  });

  it('gives the second tenant its own, different data', async () => {
    const mine = (await call('GET', '/api/repo/v1/repository/?limit=100')).json;
    const theirs = (await call('GET', '/api/repo/v1/repository/?limit=100', { auth: SECOND_AUTH })).json;
    expect(theirs.meta.total_count).toBeGreaterThan(0);
    expect(theirs.meta.total_count).toBeLessThan(mine.meta.total_count);
    expect(theirs.objects[0].resource_uri).toMatch(/^\/api\/repo\/v1\/sandbox-b\/repository\//);
    const org = await call('GET', '/api/repo/v1/globex/repository/', { auth: SECOND_AUTH });
    expect(org.json.objects.map((r: { name: string }) => r.name)).toContain('quay.io/globex/api');

    const created = await call('POST', '/api/repo/v1/repository/', {
      auth: SECOND_AUTH,
      body: { name: 'quay.io/globex/only-b' },
    });
    expect(created.status).toBe(201);
    expect((await call('GET', '/api/repo/v1/repository/quay.io/globex/only-b/')).status).toBe(404);
  });
});

describe('seed', () => {
  it('holds the whole catalogue for the demo tenant, and is deterministic', async () => {
    expect(CATALOG_REPOSITORIES.length).toBeGreaterThanOrEqual(40);
    expect(CATALOG_REGISTRIES.length).toBeGreaterThanOrEqual(5);
    for (const repo of CATALOG_REPOSITORIES)
      expect((await call('GET', `/api/repo/v1/repository/${repo.name}/`)).status, repo.name).toBe(200);

    const other = await startDockerCloudEmulator({
      host: '127.0.0.1',
      port: 0,
      tenants: [DEMO_TENANT],
      jobDurationMs: 40,
    });
    try {
      const fetchAll = async (base: string) =>
        (await (
          await fetch(`${base}/api/repo/v1/repository/?limit=100`, { headers: { authorization: DEMO_AUTH } })
        ).json()) as unknown;
      const [a, b] = [await fetchAll(emulator.url), await fetchAll(other.url)];
      expect(b).toEqual(a);
    } finally {
      await other.close();
    }
  });

  it('lists seeded secrets with the marker, stable per variant and different across variants', () => {
    const demo = dockerCloudSeedSecrets(0);
    expect(demo.length).toBeGreaterThan(20);
    expect(demo.every((s) => s.startsWith('SANDBOX-SECRET-'))).toBe(true);
    expect(dockerCloudSeedSecrets(0)).toEqual(demo);
    expect(dockerCloudSeedSecrets(1).some((s) => demo.includes(s))).toBe(false);
  });

  it('accepts only the tenants it was given', async () => {
    const solo = await startDockerCloudEmulator({
      host: '127.0.0.1',
      port: 0,
      tenants: [DEMO_TENANT] satisfies SandboxTenant[],
      jobDurationMs: 40,
    });
    try {
      const res = await fetch(`${solo.url}/api/repo/v1/repository/`, { headers: { authorization: SECOND_AUTH } });
      expect(res.status).toBe(401);
    } finally {
      await solo.close();
    }
  });
});

describe('faults and controls', () => {
  it('injects statuses with the upstream error body, and an HTML 504 on request', async () => {
    emulator.injectFault({ path: '/api/repo/v1/repository/', status: 503, times: 1 });
    const failed = await call('GET', '/api/repo/v1/repository/quay.io/acme/api/');
    expect(failed.status).toBe(503);
    expect(Object.keys(failed.json)).toEqual(['error']);
    expect((await call('GET', '/api/repo/v1/repository/quay.io/acme/api/')).status).toBe(200);

    emulator.injectFault({ path: '/api/repo/v1/registry/', status: 504, body: 'html', times: 1 });
    const html = await call('GET', '/api/repo/v1/registry/');
    expect(html.status).toBe(504);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.text).toMatch(/^<!doctype html>/i);

    const viaHttp = await fetch(`${emulator.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/repo/v1/', method: 'GET', status: 429, retryAfter: 2, times: 1 }),
    });
    expect(viaHttp.status).toBe(201);
    const throttled = await call('GET', '/api/repo/v1/registry/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
  });

  it('answers unknown routes with a 404 {"error"} and logs requests', async () => {
    emulator.resetRequests();
    const res = await call('GET', '/api/repo/v2/repository/');
    expect(res.status).toBe(404);
    expect(Object.keys(res.json)).toEqual(['error']);
    expect(emulator.requests()).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/repo/v2/repository/', status: 404 }),
    ]);
  });

  it('answers a 20-item list quickly', async () => {
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await call('GET', '/api/repo/v1/repository/?limit=20');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[25]!).toBeLessThan(5);
  });
});
