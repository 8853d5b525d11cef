/**
 * Every Docker Cloud emulator endpoint, success and error, checked against the vendored reconstructed OpenAPI
 * (`specs/docker-cloud/docker-cloud-repo-v1.reconstructed.openapi.yaml`) and against the documented shapes of the
 * vendored doc pages (`repository.md`, `registry.md`, `errors.md` examples: the same keys).
 *
 * Path matching: the spec's templates (`/api/repo/v1/repository/{name}/`) cannot express a name with slashes nor
 * the optional namespace segment (its own description says so), and OpenApiContract matches a parameter as one
 * segment. So each concrete path is mapped here to the spec path it stands for (`specPathOf`) before validation.
 *
 * The spec's list and error schemas declare no `required` keys, so the validator alone would accept an envelope
 * whose `objects` was renamed; the docs-shape assertions close that gap, and the negative checks below prove both
 * layers bite.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerCloudEmulator } from '../../src/sandbox/dockercloud/index.js';
import { DEMO_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';
import { OpenApiContract } from './openapi.js';

const SPEC_DIR = fileURLToPath(new URL('./specs/docker-cloud/', import.meta.url));
const contract = new OpenApiContract(`${SPEC_DIR}docker-cloud-repo-v1.reconstructed.openapi.yaml`);
const AUTH = `Basic ${Buffer.from(`${DEMO_TENANT.dockercloud.username}:${DEMO_TENANT.dockercloud.apiKey}`).toString('base64')}`;

/** The first ```json block of a doc page, parsed (the repository example's trailing comma removed, §3/§7). */
function docExample(page: string): Record<string, unknown> {
  const text = readFileSync(`${SPEC_DIR}${page}`, 'utf8');
  const block = /```json\n([\s\S]*?)```/.exec(text)?.[1];
  if (block === undefined) throw new Error(`${page}: no json example`);
  return JSON.parse(block.replace(/,(\s*})/g, '$1')) as Record<string, unknown>;
}

const REPOSITORY_KEYS = Object.keys(docExample('repository.md')).sort();
const REGISTRY_KEYS = Object.keys(docExample('registry.md')).sort();
const ERROR_KEYS = Object.keys(docExample('errors.md')).sort();
/** Keys beyond the docs' example: the fields a real 2016 response carried ([iss23]), and the registry `uuid` filter key. */
const OBSERVED_REPOSITORY_KEYS = ['build_source', 'last_build_date', 'public_url', 'state', 'tags'];
const EXTRA_REGISTRY_KEYS = ['uuid'];
/** The Tastypie envelope (§4, go `Meta`, fixtures). */
const ENVELOPE_KEYS = ['meta', 'objects'];
const META_KEYS = ['limit', 'next', 'offset', 'previous', 'total_count'];

/** Maps a concrete path onto the spec's template path: namespace segment dropped, slashed name as one segment. */
function specPathOf(path: string): string {
  const [pathname, query] = path.split('?', 2) as [string, string?];
  const match = /^\/api\/repo\/v1\/(?:(?!repository\/|registry\/)[^/]+\/)?(repository|registry)\/(.*)$/.exec(pathname);
  if (!match) return path;
  const [, resource, rest] = match;
  return `/api/repo/v1/${resource}/${rest ? 'ID/' : ''}${query === undefined ? '' : `?${query}`}`;
}

/** Returns the problems of a body against the documented shapes (empty when it conforms). */
function docShapeProblems(
  kind: 'repository' | 'registry' | 'list-repository' | 'list-registry' | 'error',
  body: unknown,
): string[] {
  const keysOf = (value: unknown) => (typeof value === 'object' && value !== null ? Object.keys(value).sort() : []);
  const objectProblems = (object: unknown, documented: string[], extra: string[]): string[] => {
    const keys = keysOf(object);
    return [
      ...documented.filter((k) => !keys.includes(k)).map((k) => `missing documented key ${k}`),
      ...keys.filter((k) => !documented.includes(k) && !extra.includes(k)).map((k) => `undocumented key ${k}`),
    ];
  };
  switch (kind) {
    case 'repository':
      return objectProblems(body, REPOSITORY_KEYS, OBSERVED_REPOSITORY_KEYS);
    case 'registry':
      return objectProblems(body, REGISTRY_KEYS, EXTRA_REGISTRY_KEYS);
    case 'error': {
      const problems = objectProblems(body, ERROR_KEYS, []);
      return typeof (body as { error?: unknown }).error === 'string'
        ? problems
        : [...problems, 'error is not a string'];
    }
    case 'list-repository':
    case 'list-registry': {
      const envelope = body as { meta?: unknown; objects?: unknown };
      const item = kind === 'list-repository' ? 'repository' : 'registry';
      const objects = Array.isArray(envelope.objects) ? envelope.objects : [];
      return [
        ...objectProblems(body, ENVELOPE_KEYS, []),
        ...objectProblems(envelope.meta, META_KEYS, []),
        ...(Array.isArray(envelope.objects) ? [] : ['objects is not an array']),
        ...objects.flatMap((o) => docShapeProblems(item, o)),
      ];
    }
  }
}

let emulator: Emulator;

interface Case {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: string | null;
  fault?: { status: number };
  status: number;
  shape: Parameters<typeof docShapeProblems>[0] | 'none';
}

const CASES: Case[] = [
  {
    label: 'list repositories',
    method: 'GET',
    path: '/api/repo/v1/repository/',
    status: 200,
    shape: 'list-repository',
  },
  {
    label: 'list repositories, page 2',
    method: 'GET',
    path: '/api/repo/v1/repository/?limit=10&offset=10',
    status: 200,
    shape: 'list-repository',
  },
  {
    label: 'list repositories, filtered',
    method: 'GET',
    path: '/api/repo/v1/repository/?registry=/api/repo/v1/registry/quay.io/&name=quay.io/acme/api',
    status: 200,
    shape: 'list-repository',
  },
  {
    label: 'list repositories, namespaced',
    method: 'GET',
    path: '/api/repo/v1/acme/repository/',
    status: 200,
    shape: 'list-repository',
  },
  {
    label: 'list repositories, bad limit',
    method: 'GET',
    path: '/api/repo/v1/repository/?limit=x',
    status: 400,
    shape: 'error',
  },
  {
    label: 'list repositories, no auth',
    method: 'GET',
    path: '/api/repo/v1/repository/',
    auth: null,
    status: 401,
    shape: 'error',
  },
  {
    label: 'list repositories, unknown namespace',
    method: 'GET',
    path: '/api/repo/v1/nobody/repository/',
    status: 404,
    shape: 'error',
  },
  {
    label: 'list repositories, wrong Accept',
    method: 'GET',
    path: '/api/repo/v1/repository/',
    headers: { accept: 'text/html' },
    status: 415,
    shape: 'error',
  },
  {
    label: 'add repository',
    method: 'POST',
    path: '/api/repo/v1/repository/',
    body: { name: 'registry.local/user1/image1', username: 'u', password: 'p' },
    status: 201,
    shape: 'repository',
  },
  {
    label: 'add repository, duplicate',
    method: 'POST',
    path: '/api/repo/v1/repository/',
    body: { name: 'registry.local/user1/image1' },
    status: 409,
    shape: 'error',
  },
  {
    label: 'add repository, no name',
    method: 'POST',
    path: '/api/repo/v1/repository/',
    body: { username: 'u' },
    status: 400,
    shape: 'error',
  },
  {
    label: 'add repository, invalid JSON',
    method: 'POST',
    path: '/api/repo/v1/repository/',
    body: '{"name":',
    status: 415,
    shape: 'error',
  },
  {
    label: 'add repository, namespaced',
    method: 'POST',
    path: '/api/repo/v1/acme/repository/',
    body: { name: 'ghcr.io/acme/contract' },
    status: 201,
    shape: 'repository',
  },
  {
    label: 'list repositories, wrong method',
    method: 'PUT',
    path: '/api/repo/v1/repository/',
    body: {},
    status: 405,
    shape: 'error',
  },
  {
    label: 'get repository',
    method: 'GET',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    status: 200,
    shape: 'repository',
  },
  {
    label: 'get Docker Hub repository (observed fields)',
    method: 'GET',
    path: '/api/repo/v1/repository/acme/worker/',
    status: 200,
    shape: 'repository',
  },
  {
    label: 'get repository, namespaced',
    method: 'GET',
    path: '/api/repo/v1/acme/repository/quay.io/acme/api/',
    status: 200,
    shape: 'repository',
  },
  {
    label: 'get repository, unknown',
    method: 'GET',
    path: '/api/repo/v1/repository/quay.io/acme/none/',
    status: 404,
    shape: 'error',
  },
  {
    label: 'update credentials',
    method: 'PATCH',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    body: { username: 'v', password: 'q' },
    status: 200,
    shape: 'repository',
  },
  {
    label: 'update credentials, wrong Content-Type',
    method: 'PATCH',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    body: '{}',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    shape: 'error',
  },
  {
    label: 'update credentials, bad field',
    method: 'PATCH',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    body: { password: 1 },
    status: 400,
    shape: 'error',
  },
  {
    label: 'remove repository',
    method: 'DELETE',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    status: 204,
    shape: 'none',
  },
  {
    label: 'remove repository, unknown',
    method: 'DELETE',
    path: '/api/repo/v1/repository/registry.local/user1/image1/',
    status: 404,
    shape: 'error',
  },
  { label: 'list registries', method: 'GET', path: '/api/repo/v1/registry/', status: 200, shape: 'list-registry' },
  {
    label: 'list registries, filtered and paged',
    method: 'GET',
    path: '/api/repo/v1/acme/registry/?is_docker_registry=false&limit=2&offset=2',
    status: 200,
    shape: 'list-registry',
  },
  {
    label: 'list registries, bad filter',
    method: 'GET',
    path: '/api/repo/v1/registry/?is_docker_registry=maybe',
    status: 400,
    shape: 'error',
  },
  {
    label: 'add registry (read-only)',
    method: 'POST',
    path: '/api/repo/v1/registry/',
    body: {},
    status: 405,
    shape: 'error',
  },
  {
    label: 'get registry',
    method: 'GET',
    path: '/api/repo/v1/registry/registry-1.docker.io/',
    status: 200,
    shape: 'registry',
  },
  {
    label: 'get registry, namespaced',
    method: 'GET',
    path: '/api/repo/v1/sandbox/registry/quay.io/',
    status: 200,
    shape: 'registry',
  },
  {
    label: 'get registry, unknown',
    method: 'GET',
    path: '/api/repo/v1/registry/nowhere.example/',
    status: 404,
    shape: 'error',
  },
  {
    label: 'delete registry (read-only)',
    method: 'DELETE',
    path: '/api/repo/v1/registry/quay.io/',
    status: 405,
    shape: 'error',
  },
  ...[402, 403, 429, 500, 503, 504].map((status): Case => ({
    label: `injected ${status}`,
    method: 'GET',
    path: '/api/repo/v1/registry/',
    fault: { status },
    status,
    shape: 'error',
  })),
];

beforeAll(async () => {
  emulator = await startDockerCloudEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT], jobDurationMs: 40 });
});
afterAll(async () => {
  await emulator.close();
});

describe('Docker Cloud emulator responses against the spec and the docs', () => {
  // In order: the cases create, update and remove the same repository.
  it.each(CASES)('$label: $method $path → $status', async (c) => {
    if (c.fault) emulator.injectFault({ path: c.path.split('?')[0]!, status: c.fault.status, times: 1 });
    const headers: Record<string, string> = { accept: 'application/json', ...c.headers };
    if (c.auth !== null) headers.authorization = c.auth ?? AUTH;
    let body: string | undefined;
    if (c.body !== undefined) {
      body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${emulator.url}${c.path}`, { method: c.method, headers, body });
    const text = await res.text();
    expect(res.status).toBe(c.status);
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    // A 405 answers a method the spec (rightly) has no operation for; its body is the spec's shared Error response,
    // reached through the path's GET operation (`default: $ref Error`).
    const specMethod = res.status === 405 ? 'GET' : c.method;
    const result = contract.validate({
      method: specMethod,
      path: specPathOf(c.path),
      status: res.status,
      body: parsed,
    });
    expect(result.errors, result.checkedAgainst).toEqual([]);
    expect(result.valid).toBe(true);
    if (c.shape === 'none') expect(text).toBe('');
    else expect(docShapeProblems(c.shape, parsed)).toEqual([]);
  });
});

describe('the checks bite', () => {
  const validList = {
    meta: { limit: 25, next: null, offset: 0, previous: null, total_count: 1 },
    objects: [
      {
        in_use: false,
        name: 'quay.io/a/b',
        registry: '/api/repo/v1/registry/quay.io/',
        resource_uri: '/api/repo/v1/repository/quay.io/a/b/',
      },
    ],
  };
  const listCheck = (body: unknown) =>
    contract.validate({ method: 'GET', path: '/api/repo/v1/repository/', status: 200, body });

  it('maps concrete paths onto the spec templates', () => {
    expect(contract.templateFor(specPathOf('/api/repo/v1/acme/repository/quay.io/acme/api/'))).toBe(
      '/api/repo/v1/repository/{name}/',
    );
    expect(contract.templateFor(specPathOf('/api/repo/v1/repository/repository/'))).toBe(
      '/api/repo/v1/repository/{name}/',
    );
    expect(contract.templateFor(specPathOf('/api/repo/v1/registry/?host=quay.io'))).toBe('/api/repo/v1/registry/');
    expect(contract.templateFor('/api/repo/v1/repository/quay.io/acme/api/')).toBeUndefined();
  });

  it('accepts a well-formed envelope', () => {
    expect(listCheck(validList).valid).toBe(true);
    expect(docShapeProblems('list-repository', validList)).toEqual([]);
  });

  it('rejects broken envelopes', () => {
    expect(listCheck({ ...validList, meta: { ...validList.meta, total_count: '1' } }).valid).toBe(false);
    expect(listCheck({ ...validList, meta: { ...validList.meta, next: 25 } }).valid).toBe(false);
    expect(listCheck({ ...validList, objects: [{ name: 'quay.io/a/b', in_use: 'no' }] }).valid).toBe(false);
    expect(listCheck({ ...validList, objects: {} }).valid).toBe(false);
    // The spec's envelope has no required keys: a renamed `objects` passes it, the documented shape does not.
    const renamed = { meta: validList.meta, results: validList.objects };
    expect(listCheck(renamed).valid).toBe(true);
    expect(docShapeProblems('list-repository', renamed)).toContain('missing documented key objects');
    expect(docShapeProblems('list-repository', { ...validList, meta: { limit: 25, offset: 0 } })).not.toEqual([]);
  });

  it('rejects broken repository, registry and error bodies', () => {
    const getRepo = (body: unknown) =>
      contract.validate({ method: 'GET', path: '/api/repo/v1/repository/ID/', status: 200, body });
    expect(getRepo({ name: 'quay.io/a/b', in_use: false, registry: '/x/' }).valid).toBe(false);
    expect(docShapeProblems('repository', { ...validList.objects[0], password: 'p' })).toEqual([
      'undocumented key password',
    ]);
    const getRegistry = (body: unknown) =>
      contract.validate({ method: 'GET', path: '/api/repo/v1/registry/ID/', status: 200, body });
    expect(getRegistry({ host: 'quay.io', port: '443' }).valid).toBe(false);
    const error = (body: unknown) =>
      contract.validate({ method: 'GET', path: '/api/repo/v1/registry/', status: 404, body });
    expect(error({ error: 42 }).valid).toBe(false);
    expect(error('<!doctype html>').valid).toBe(false);
    expect(docShapeProblems('error', { errors: [{ detail: 'x' }] })).not.toEqual([]);
  });
});
