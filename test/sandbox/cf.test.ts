/**
 * The Cloud Foundry v3 emulator, read side, over real loopback HTTP: auth refusals, error bodies, the pagination
 * envelope and its hrefs, every list filter and the label selector grammar, query validation, apps, the seed's
 * shape and determinism, tenants, and the shared test controls on CF routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfSeedSecrets, SEED_SECRET_MARKER, startCfEmulator } from '../../src/sandbox/cf/index.js';
import { CATALOG_REPOSITORIES, imageReferenceOf } from '../../src/sandbox/shared/catalog.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/shared/credentials.js';
import type { Emulator } from '../../src/sandbox/shared/emulator.js';

type Json = any;

const DEMO = { authorization: `bearer ${DEMO_TENANT.cf.token}` };
const SECOND = { authorization: `bearer ${SECOND_TENANT.cf.token}` };

let cf: Emulator;

async function get(
  path: string,
  headers: Record<string, string> = DEMO,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${cf.url}${path}`, { headers });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

async function allPackages(query = '', headers = DEMO): Promise<Json[]> {
  return (await get(`/v3/packages?per_page=5000${query}`, headers)).body.resources;
}

function detailOf(body: Json): string {
  return body.errors[0].detail;
}

beforeAll(async () => {
  cf = await startCfEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT, SECOND_TENANT], jobDurationMs: 40 });
});
afterAll(() => cf.close());

describe('auth and errors (cf-v3-packages.md §1, §6)', () => {
  it('answers a request without a token with 401 CF-NotAuthenticated (10002)', async () => {
    const { status, body } = await get('/v3/packages', {});
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ code: 10002, title: 'CF-NotAuthenticated', detail: 'Authentication error' }] });
  });

  it('answers an unknown token, or another scheme, with 401 CF-InvalidAuthToken (1000)', async () => {
    for (const authorization of ['bearer nope', 'Basic c2FuZGJveDpzYW5kYm94', DEMO_TENANT.cf.token]) {
      const { status, body } = await get('/v3/packages', { authorization });
      expect([status, body.errors[0].code, body.errors[0].title]).toEqual([401, 1000, 'CF-InvalidAuthToken']);
    }
  });

  it('accepts the bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'Bearer', 'BEARER']) {
      expect(
        (await get('/v3/packages?per_page=1', { authorization: `${scheme} ${DEMO_TENANT.cf.token}` })).status,
      ).toBe(200);
    }
  });

  it('answers an unknown route with 404 CF-NotFound (10000, "Unknown request")', async () => {
    const { status, body } = await get('/v3/nothing-here');
    expect(status).toBe(404);
    expect(body).toEqual({ errors: [{ code: 10000, title: 'CF-NotFound', detail: 'Unknown request' }] });
  });

  it('sends the rate-limit headers, counting down per token', async () => {
    const first = await get('/v3/packages?per_page=1');
    const second = await get('/v3/packages?per_page=1');
    expect(Number(first.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(
      Number(first.headers.get('x-ratelimit-remaining')) - 1,
    );
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers a package guid it does not know with 404 "Package not found"', async () => {
    const { status, body } = await get('/v3/packages/00000000-0000-4000-8000-000000000000');
    expect(status).toBe(404);
    expect(body.errors[0]).toEqual({ code: 10010, title: 'CF-ResourceNotFound', detail: 'Package not found' });
  });
});

describe('pagination envelope (§5)', () => {
  it('defaults to 50 per page with absolute, alphabetically ordered hrefs', async () => {
    const { body } = await get('/v3/packages');
    expect(body.resources).toHaveLength(50);
    expect(body.pagination.total_results).toBeGreaterThanOrEqual(60);
    expect(body.pagination.total_pages).toBe(Math.ceil(body.pagination.total_results / 50));
    expect(body.pagination.first).toEqual({ href: `${cf.url}/v3/packages?page=1&per_page=50` });
    expect(body.pagination.next).toEqual({ href: `${cf.url}/v3/packages?page=2&per_page=50` });
    expect(body.pagination.previous).toBeNull();
  });

  it('carries the filters into the hrefs as Rails to_query writes them (sorted keys, %2C)', async () => {
    const { body } = await get('/v3/packages?types=bits,docker&per_page=10&page=2');
    const last = body.pagination.total_pages;
    expect(body.pagination.first.href).toBe(`${cf.url}/v3/packages?page=1&per_page=10&types=bits%2Cdocker`);
    expect(body.pagination.previous.href).toBe(`${cf.url}/v3/packages?page=1&per_page=10&types=bits%2Cdocker`);
    expect(body.pagination.last.href).toBe(`${cf.url}/v3/packages?page=${last}&per_page=10&types=bits%2Cdocker`);
    expect(body.pagination.next.href).toBe(`${cf.url}/v3/packages?page=3&per_page=10&types=bits%2Cdocker`);
  });

  it('writes the order with its direction sign, and escapes selectors and timestamps', async () => {
    const { body } = await get(
      '/v3/packages?order_by=created_at&label_selector=env%3Dprod&created_ats[gt]=2024-01-01T00:00:00Z&per_page=2',
    );
    expect(body.pagination.first.href).toBe(
      `${cf.url}/v3/packages?created_ats%5Bgt%5D=2024-01-01T00%3A00%3A00Z&label_selector=env%3Dprod&order_by=%2Bcreated_at&page=1&per_page=2`,
    );
  });

  it('walks every page by following next.href, visiting each package once', async () => {
    const seen: string[] = [];
    let href: string | null = `${cf.url}/v3/packages?per_page=7`;
    while (href) {
      const response: Json = await (await fetch(href, { headers: DEMO })).json();
      seen.push(...response.resources.map((p: Json) => p.guid));
      href = response.pagination.next?.href ?? null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual((await allPackages()).map((p) => p.guid));
  });

  it('answers an empty result with total_pages 1 and no next, and a page past the end with no resources', async () => {
    const empty = (await get('/v3/packages?guids=nope')).body;
    expect(empty.pagination).toMatchObject({ total_results: 0, total_pages: 1, next: null, previous: null });
    expect(empty.pagination.last.href).toBe(`${cf.url}/v3/packages?guids=nope&page=1&per_page=50`);
    const beyond = (await get('/v3/packages?page=99')).body;
    expect(beyond.resources).toEqual([]);
    expect(beyond.pagination.previous.href).toContain('page=98');
  });
});

describe('list filters (§4)', () => {
  it('filters by guids (a batch), states, types and app_guids', async () => {
    const every = await allPackages();
    const three = every.slice(0, 3).map((p) => p.guid);
    expect((await allPackages(`&guids=${three.join(',')}`)).map((p) => p.guid)).toEqual(three);
    for (const p of await allPackages('&states=FAILED,EXPIRED')) expect(['FAILED', 'EXPIRED']).toContain(p.state);
    for (const p of await allPackages('&types=docker')) expect(p.type).toBe('docker');
    const appGuid = every[0].relationships.app.data.guid;
    const forApp = await allPackages(`&app_guids=${appGuid}`);
    expect(forApp.length).toBe(every.filter((p) => p.relationships.app.data.guid === appGuid).length);
  });

  it('filters by space_guids and organization_guids through the package’s app', async () => {
    const apps = (await get('/v3/apps?per_page=100')).body.resources;
    const space = apps[0].relationships.space.data.guid;
    const appsInSpace = new Set(
      apps.filter((a: Json) => a.relationships.space.data.guid === space).map((a: Json) => a.guid),
    );
    const inSpace = await allPackages(`&space_guids=${space}`);
    expect(inSpace.length).toBeGreaterThan(0);
    for (const p of inSpace) expect(appsInSpace.has(p.relationships.app.data.guid)).toBe(true);
    expect(await allPackages('&organization_guids=00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('supports every label selector form (equality, inequality, set, existence)', async () => {
    const every = await allPackages();
    const labelled = (predicate: (labels: Record<string, string>) => boolean) =>
      every.filter((p) => predicate(p.metadata.labels)).map((p) => p.guid);
    const select = async (selector: string) =>
      (await allPackages(`&label_selector=${encodeURIComponent(selector)}`)).map((p) => p.guid);
    expect(await select('env=prod')).toEqual(labelled((l) => l.env === 'prod'));
    expect(await select('env==prod')).toEqual(labelled((l) => l.env === 'prod'));
    expect(await select('env!=prod')).toEqual(labelled((l) => l.env !== 'prod'));
    expect(await select('tier in (web,worker)')).toEqual(labelled((l) => l.tier === 'web' || l.tier === 'worker'));
    expect(await select('tier notin (web,worker)')).toEqual(labelled((l) => l.tier !== 'web' && l.tier !== 'worker'));
    expect(await select('legacy')).toEqual(labelled((l) => 'legacy' in l));
    expect(await select('!legacy,env=dev')).toEqual(labelled((l) => !('legacy' in l) && l.env === 'dev'));
    expect(await select('acme.example/release')).toEqual(labelled((l) => 'acme.example/release' in l));
    expect((await select('env=prod')).length).toBeGreaterThan(0);
  });

  it('filters on created_ats / updated_ats equality lists and relational operators', async () => {
    const every = await allPackages();
    const pivot = every[10].created_at;
    expect((await allPackages(`&created_ats=${pivot},${every[11].created_at}`)).map((p) => p.guid)).toEqual(
      every.filter((p) => p.created_at === pivot || p.created_at === every[11].created_at).map((p) => p.guid),
    );
    expect(await allPackages(`&created_ats[lt]=${pivot}`)).toEqual(every.filter((p) => p.created_at < pivot));
    expect(await allPackages(`&created_ats[lte]=${pivot}&created_ats[gt]=2000-01-01T00:00:00Z`)).toEqual(
      every.filter((p) => p.created_at <= pivot),
    );
    expect(await allPackages(`&updated_ats[gte]=${pivot}`)).toEqual(every.filter((p) => p.updated_at >= pivot));
  });

  it('orders by created_at or updated_at, ascending or descending; default is creation order', async () => {
    const every = await allPackages();
    const byCreated = [...every].sort((a, b) => a.created_at.localeCompare(b.created_at));
    expect((await allPackages('&order_by=created_at')).map((p) => p.created_at)).toEqual(
      byCreated.map((p) => p.created_at),
    );
    expect((await allPackages('&order_by=-created_at')).map((p) => p.created_at)).toEqual(
      byCreated.reverse().map((p) => p.created_at),
    );
    const updated = (await allPackages('&order_by=-updated_at')).map((p) => p.updated_at);
    expect(updated).toEqual([...updated].sort().reverse());
  });

  it('refuses invalid values and unknown parameters with 400 CF-BadQueryParameter and a useful detail', async () => {
    const cases: [string, string][] = [
      ['page=0', 'Page must be a positive integer'],
      ['per_page=5001', 'Per page must be between 1 and 5000'],
      ['per_page=abc', 'Per page must be a positive integer'],
      ['order_by=name', "Order by can only be: 'created_at', 'updated_at'"],
      ['foo=1&bar=2', "Unknown query parameter(s): 'foo', 'bar'"],
      [
        'created_ats=yesterday',
        "Created ats has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'",
      ],
      ['created_ats[after]=2024-01-01T00:00:00Z', "Created ats Invalid relational operator: 'after'"],
      ['label_selector=', 'empty label selector not allowed'],
      ['label_selector=env%3D%3D%3Dx', 'expecting a value'],
      ['label_selector=tier%20in%20web', "expecting a '('"],
      ['label_selector=bad%25key', 'disallowed character(s)'],
      ['states[x]=READY', 'States must be an array'],
    ];
    for (const [query, detail] of cases) {
      const { status, body } = await get(`/v3/packages?${query}`);
      expect(status, query).toBe(400);
      expect(body.errors[0].code).toBe(10005);
      expect(body.errors[0].title).toBe('CF-BadQueryParameter');
      expect(detailOf(body), query).toContain(detail);
      expect(detailOf(body)).toMatch(/^The query parameter is invalid: /);
    }
  });
});

describe('apps (CF v3 docs "Apps")', () => {
  it('gets an app and lists apps with guids, names, order and paging', async () => {
    const { body } = await get('/v3/apps?per_page=100');
    expect(body.pagination.total_results).toBeGreaterThanOrEqual(15);
    const [first, second] = body.resources;
    expect((await get(`/v3/apps/${first.guid}`)).body).toEqual(first);
    expect((await get(`/v3/apps?guids=${first.guid},${second.guid}`)).body.resources.map((a: Json) => a.guid)).toEqual([
      first.guid,
      second.guid,
    ]);
    expect((await get(`/v3/apps?names=${first.name}`)).body.resources.map((a: Json) => a.guid)).toEqual([first.guid]);
    const names = (await get('/v3/apps?order_by=name&per_page=100')).body.resources.map((a: Json) => a.name);
    expect(names).toEqual([...names].sort());
    expect((await get('/v3/apps?per_page=4&page=2')).body.pagination.next.href).toBe(
      `${cf.url}/v3/apps?page=3&per_page=4`,
    );
  });

  it('has docker and buildpack lifecycles, and answers 404 "App not found" and 400 on unknown parameters', async () => {
    const apps = (await get('/v3/apps?per_page=100')).body.resources;
    expect(apps.filter((a: Json) => a.lifecycle.type === 'docker').length).toBeGreaterThanOrEqual(3);
    expect(apps.find((a: Json) => a.lifecycle.type === 'docker').lifecycle.data).toEqual({});
    expect(apps.find((a: Json) => a.lifecycle.type === 'buildpack').lifecycle.data).toMatchObject({
      stack: expect.any(String),
    });
    const missing = await get('/v3/apps/00000000-0000-4000-8000-000000000000');
    expect([missing.status, detailOf(missing.body)]).toEqual([404, 'App not found']);
    const unknown = await get('/v3/apps?colour=red');
    expect([unknown.status, detailOf(unknown.body)]).toEqual([
      400,
      "The query parameter is invalid: Unknown query parameter(s): 'colour'",
    ]);
  });

  it('lists an app’s packages, refusing app_guids/space_guids/organization_guids there', async () => {
    const app = (await get('/v3/apps?per_page=1')).body.resources[0];
    const { body } = await get(`/v3/apps/${app.guid}/packages?per_page=2&states=READY,FAILED`);
    for (const p of body.resources) expect(p.relationships.app.data.guid).toBe(app.guid);
    expect(body.pagination.first.href).toBe(
      `${cf.url}/v3/apps/${app.guid}/packages?page=1&per_page=2&states=READY%2CFAILED`,
    );
    const refused = await get(`/v3/apps/${app.guid}/packages?space_guids=x&app_guids=y`);
    expect(refused.status).toBe(400);
    expect(detailOf(refused.body)).toContain("Unknown query parameter(s): 'app_guids', 'space_guids'");
    expect((await get(`/v3/apps/${app.guid}/packages?label_selector=env`)).status).toBe(200);
    expect(detailOf((await get('/v3/apps/00000000-0000-4000-8000-000000000000/packages')).body)).toBe('App not found');
  });
});

describe('the seed', () => {
  it('holds ≥60 packages over ≥15 apps in ≥2 spaces, in every state, bits and docker', async () => {
    const packages = await allPackages();
    expect(packages.length).toBeGreaterThanOrEqual(60);
    expect(new Set(packages.map((p) => p.relationships.app.data.guid)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(packages.map((p) => p.state))).toEqual(
      new Set(['AWAITING_UPLOAD', 'PROCESSING_UPLOAD', 'READY', 'FAILED', 'COPYING', 'EXPIRED']),
    );
    expect(new Set(packages.map((p) => p.type))).toEqual(new Set(['bits', 'docker']));
    const apps = (await get('/v3/apps?per_page=100')).body.resources;
    expect(new Set(apps.map((a: Json) => a.relationships.space.data.guid)).size).toBeGreaterThanOrEqual(2);
    expect(packages.filter((p) => Object.keys(p.metadata.labels).length > 0).length).toBeGreaterThan(
      packages.length / 2,
    );
  });

  it('names catalogue repositories in several docker images, and a couple outside it', async () => {
    const images = new Set((await allPackages('&types=docker')).map((p) => p.data.image as string));
    const catalogued = new Set(CATALOG_REPOSITORIES.flatMap((r) => r.tags.map((t) => imageReferenceOf(r, t))));
    const repositoriesNamed = new Set(
      [...images].filter((i) => catalogued.has(i)).map((i) => i.replace(/:[^:/]+$/, '')),
    );
    expect(repositoriesNamed.size).toBeGreaterThanOrEqual(4);
    expect([...images].filter((i) => !catalogued.has(i)).length).toBeGreaterThanOrEqual(1);
  });

  it('presents docker passwords as "***" with a username and null without; secrets never leave', async () => {
    const docker = await allPackages('&types=docker');
    expect(docker.some((p) => p.data.username !== null)).toBe(true);
    for (const p of docker) expect(p.data.password).toBe(p.data.username === null ? null : '***');
    const secrets = cfSeedSecrets(0);
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(s.startsWith(SEED_SECRET_MARKER)).toBe(true);
    const text = JSON.stringify(await allPackages());
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('is deterministic: a second emulator serves the same data', async () => {
    const other = await startCfEmulator({ host: '127.0.0.1', port: 0, tenants: [DEMO_TENANT], jobDurationMs: 40 });
    try {
      const strip = (body: Json, url: string) => JSON.stringify(body).replaceAll(url, '');
      const mine = await get('/v3/packages?per_page=5000');
      const theirs = await (await fetch(`${other.url}/v3/packages?per_page=5000`, { headers: DEMO })).json();
      expect(strip(theirs, other.url)).toBe(strip(mine.body, cf.url));
      expect(cfSeedSecrets(0)).toEqual(cfSeedSecrets(0));
    } finally {
      await other.close();
    }
  });
});

describe('tenants', () => {
  it('gives the second token its own, smaller org with different guids', async () => {
    const mine = await allPackages();
    const theirs = await allPackages('', SECOND);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.length).toBeLessThan(mine.length);
    const myGuids = new Set(mine.map((p) => p.guid));
    for (const p of theirs) expect(myGuids.has(p.guid)).toBe(false);
    expect(cfSeedSecrets(1).some((s) => cfSeedSecrets(0).includes(s))).toBe(false);
  });

  it('hides one tenant’s packages and apps from the other (404, and absent from filters)', async () => {
    const theirPackage = (await allPackages('', SECOND))[0];
    expect((await get(`/v3/packages/${theirPackage.guid}`)).status).toBe(404);
    expect(await allPackages(`&guids=${theirPackage.guid}`)).toEqual([]);
    const theirApp = theirPackage.relationships.app.data.guid;
    const app = await get(`/v3/apps/${theirApp}`);
    expect([app.status, detailOf(app.body)]).toEqual([404, 'App not found']);
    expect((await get(`/v3/apps/${theirApp}`, SECOND)).status).toBe(200);
  });
});

describe('test controls on CF routes', () => {
  it('logs requests and injects faults with CF error bodies', async () => {
    cf.resetRequests();
    cf.injectFault({ path: '/v3/packages', method: 'GET', status: 503, times: 1 });
    const failed = await get('/v3/packages?per_page=1');
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0]).toMatchObject({ code: 10015, title: 'CF-ServiceUnavailable' });
    expect((await get('/v3/packages?per_page=1')).status).toBe(200);
    cf.injectFault({ path: '/v3/apps', status: 429, retryAfter: 3, times: 1 });
    const limited = await fetch(`${cf.url}/v3/apps`, { headers: DEMO });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect(((await limited.json()) as Json).errors[0].title).toBe('CF-RateLimitExceeded');
    const log = cf.requests();
    expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/v3/packages', 503],
      ['GET', '/v3/packages', 200],
      ['GET', '/v3/apps', 429],
    ]);
    expect(log[0]!.query).toBe('per_page=1');
  });

  it('serves the controls over HTTP too', async () => {
    const added = await fetch(`${cf.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/v3/jobs', status: 500, times: 1 }),
    });
    expect(added.status).toBe(201);
    const failed = await get('/v3/jobs/00000000-0000-4000-8000-000000000000');
    expect([failed.status, failed.body.errors[0].title]).toEqual([500, 'UnknownError']);
    const log: Json = await (await fetch(`${cf.url}/__sandbox/requests`)).json();
    expect(log.total).toBeGreaterThan(0);
    cf.clearFaults();
  });
});
