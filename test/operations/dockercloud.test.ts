import { beforeEach, describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();
beforeEach(() => {
  gw.sandbox.resetRequests();
  gw.sandbox.clearFaults();
});

const dcRequests = () => gw.sandbox.dockercloud.requests();
const dcCalls = () => dcRequests().map((r) => `${r.method} ${r.path}`);

describe('repositories', () => {
  it('answers 25 repositories with their registries in 2 calls (list + one registry list for every host on the page)', async () => {
    const res = await gw.gql(`{ repositories(first: 25) { edges { node { name registry { name host } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.repositories.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(25);
    const hosts = new Set(nodes.map((n: any) => n.registry.host));
    expect(hosts.size).toBeGreaterThan(1);
    for (const node of nodes) expect(node.name.startsWith(`${node.registry.host}/`)).toBe(true);
    expect(res.extensions!.upstream!.calls).toBe(2);
    expect(res.extensions!.upstream!.calls).toBeLessThanOrEqual(1 + hosts.size);
    expect(dcCalls()).toEqual(['GET /api/repo/v1/repository/', 'GET /api/repo/v1/registry/']);
  });

  it('uses one GET when every repository of the page is on one registry', async () => {
    const res = await gw.gql(
      `{ repositories(first: 5, filter: { registryHost: "quay.io" }) { totalCount nodes { name registry { name port isSsl isDockerRegistry } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.repositories.totalCount).toBe(8);
    for (const node of res.data!.repositories.nodes)
      expect(node.registry).toEqual({ name: 'Quay', port: 443, isSsl: true, isDockerRegistry: false });
    expect(dcCalls()).toEqual(['GET /api/repo/v1/repository/', 'GET /api/repo/v1/registry/quay.io/']);
    expect(new URLSearchParams(dcRequests()[0]!.query).get('registry')).toBe('/api/repo/v1/registry/quay.io/');
  });

  it('pages with limit/offset cursors and totalCount', async () => {
    const first = await gw.gql(
      `{ repositories(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`,
    );
    const all = await gw.gql(`{ repositories(first: 100) { totalCount pageInfo { hasNextPage } nodes { name } } }`);
    const names = all.data!.repositories.nodes.map((n: any) => n.name);
    expect(names).toHaveLength(all.data!.repositories.totalCount);
    expect(all.data!.repositories.pageInfo.hasNextPage).toBe(false);
    expect(first.data!.repositories.pageInfo.hasNextPage).toBe(true);
    const next = await gw.gql(
      `query($a: String) { repositories(first: 10, after: $a) { pageInfo { hasPreviousPage } nodes { name } } }`,
      { a: first.data!.repositories.pageInfo.endCursor },
    );
    expect(next.data!.repositories.nodes.map((n: any) => n.name)).toEqual(names.slice(10, 20));
    expect(new URLSearchParams(dcRequests().at(-1)!.query).get('offset')).toBe('10');
  });

  it('reads repositories by name, slashes unencoded with the trailing slash, and null for unknown ones', async () => {
    const res = await gw.gql(`{
      hub: repository(name: "acme/worker") { name inUse registryHost state tags publicUrl lastBuildDate registry { name } }
      quay: repository(name: "quay.io/acme/api") { name resourceUri namespace }
      missing: repository(name: "quay.io/acme/nope") { name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.hub).toMatchObject({
      name: 'acme/worker',
      registryHost: 'registry-1.docker.io',
      registry: { name: 'Docker Hub' },
    });
    expect(res.data!.quay).toMatchObject({ name: 'quay.io/acme/api', namespace: DEMO_TENANT.dockercloud.username });
    expect(res.data!.missing).toBeNull();
    expect(dcCalls()).toEqual(
      expect.arrayContaining([
        'GET /api/repo/v1/repository/acme/worker/',
        'GET /api/repo/v1/repository/quay.io/acme/api/',
      ]),
    );
  });

  it('reads from an organisation namespace', async () => {
    const res = await gw.gql(
      `{ repositories(namespace: "acme", first: 10) { totalCount nodes { name namespace registry { host } } } repository(name: "acme/worker", namespace: "acme") { name namespace } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.repositories.totalCount).toBe(4);
    expect(res.data!.repositories.nodes[0].namespace).toBe('acme');
    expect(res.data!.repository).toEqual({ name: 'acme/worker', namespace: 'acme' });
    expect(dcCalls()).toContain('GET /api/repo/v1/acme/repository/');
  });

  it.each([
    ['quay.io/../../registry/quay.io'],
    ['quay.io/acme/api?limit=1'],
    ['quay.io/acme/api#x'],
    ['quay.io%2Facme%2Fapi'],
    ['quay.io/acme%2e%2e/api'],
    ['quay.io//api'],
    ['/quay.io/acme'],
    ['quay.io/acme/'],
    ['quay.io/./api'],
    ['quay.io/acme/api\u0000'],
    ['quay.io/acme/\napi'],
    ['quay.io\\acme'],
    [''],
  ])('refuses the repository name %j with BAD_USER_INPUT before any request', async (name) => {
    const res = await gw.gql(`query($n: String!) { repository(name: $n) { name } }`, { n: name });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const write = await gw.gql(`mutation($n: String!) { removeRepository(name: $n) { removed } }`, { n: name });
    expect(codes(write)).toEqual(['BAD_USER_INPUT']);
    expect(dcRequests()).toHaveLength(0);
  });

  it('refuses a bad namespace or registry host before any request', async () => {
    const res = await gw.gql(
      `{ a: repositories(namespace: "a/b") { totalCount } b: registry(host: "quay.io/../x") { name } c: repositories(namespace: "registry") { totalCount } }`,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(dcRequests()).toHaveLength(0);
  });

  it('maps an HTML 504 page to UPSTREAM_UNAVAILABLE without passing the page on', async () => {
    gw.sandbox.dockercloud.injectFault({ path: '/api/repo/v1/repository/', status: 504, body: 'html' });
    const res = await gw.gql(`{ repositories { nodes { name } } }`);
    expect(res.data!.repositories).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'dockercloud',
      status: 504,
    });
    expect(JSON.stringify(res)).not.toMatch(/<html|nginx/i);
  });
});

describe('registries', () => {
  it('lists registries with filters, reads one by host, and lists a registry’s repositories', async () => {
    const res = await gw.gql(`{
      registries(first: 20) { totalCount nodes { host name port isSsl isDockerRegistry uuid resourceUri } }
      hub: registries(filter: { isDockerRegistry: true }) { nodes { host } }
      quay: registry(host: "quay.io") { name repositories(first: 3) { totalCount nodes { name } } }
      missing: registry(host: "nope.example.com") { name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.registries.totalCount).toBe(7);
    expect(res.data!.hub.nodes).toEqual([{ host: 'registry-1.docker.io' }]);
    expect(res.data!.quay.repositories.totalCount).toBe(8);
    for (const node of res.data!.quay.repositories.nodes) expect(node.name.startsWith('quay.io/')).toBe(true);
    expect(res.data!.missing).toBeNull();
    expect(
      new URLSearchParams(dcRequests().find((r) => r.query.includes('is_docker_registry'))!.query).get(
        'is_docker_registry',
      ),
    ).toBe('true');
  });

  it('resolves Repository and Registry entities for a router', async () => {
    const res = await gw.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Repository { name inUse } ... on Registry { host name } } }`,
      {
        r: [
          { __typename: 'Repository', namespace: null, name: 'quay.io/acme/api' },
          { __typename: 'Registry', namespace: null, host: 'ghcr.io' },
          { __typename: 'Repository', namespace: null, name: 'quay.io/acme/nope' },
        ],
      },
    );
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['_entities', 2], 'NOT_FOUND']]);
    expect(res.data!._entities).toEqual([
      { name: 'quay.io/acme/api', inUse: expect.any(Boolean) },
      { host: 'ghcr.io', name: 'GitHub Container Registry' },
      null,
    ]);
  });
});

describe('repository writes', () => {
  it('registers, updates the credentials of, and removes a repository', async () => {
    const name = 'ghcr.io/acme/new-service';
    const created = await gw.gql(
      `mutation($n: String!) { registerRepository(name: $n, username: "bot", password: "register-pw-1") { name inUse registry { host } } }`,
      { n: name },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.registerRepository).toEqual({ name, inUse: false, registry: { host: 'ghcr.io' } });
    expect(dcCalls()[0]).toBe('POST /api/repo/v1/repository/');

    const updated = await gw.gql(
      `mutation($n: String!) { updateRepositoryCredentials(name: $n, password: "update-pw-2") { name } }`,
      { n: name },
    );
    expect(updated.data!.updateRepositoryCredentials).toEqual({ name });
    expect(dcCalls()).toContain(`PATCH /api/repo/v1/repository/${name}/`);

    const removed = await gw.gql(`mutation($n: String!) { removeRepository(name: $n) { name removed } }`, { n: name });
    expect(removed.data!.removeRepository).toEqual({ name, removed: true });
    expect(dcCalls()).toContain(`DELETE /api/repo/v1/repository/${name}/`);
    const gone = await gw.gql(`query($n: String!) { repository(name: $n) { name } }`, { n: name });
    expect(gone.data!.repository).toBeNull();
  });

  it('maps a duplicate repository (409) to CONFLICT, and registers on any third-party registry (seed 003)', async () => {
    const duplicate = await gw.gql(`mutation { registerRepository(name: "quay.io/acme/api") { name } }`);
    expect(duplicate.data!.registerRepository).toBeNull();
    expect(duplicate.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', upstream: 'dockercloud', status: 409 });
    expect(duplicate.errors![0]!.message).toContain('has already been added');
    const thirdParty = await gw.gql(`mutation { registerRepository(name: "nowhere.example.com/a/b") { name } }`);
    expect(thirdParty.errors).toBeUndefined();
    expect(thirdParty.data!.registerRepository).toEqual({ name: 'nowhere.example.com/a/b' });
    const removed = await gw.gql(`mutation { removeRepository(name: "nowhere.example.com/a/b") { removed } }`);
    expect(removed.data!.removeRepository).toEqual({ removed: true });
  });

  it('registers in an organisation namespace, and needs a username or password to update', async () => {
    const created = await gw.gql(
      `mutation { registerRepository(name: "quay.io/acme/ns-test", namespace: "acme") { name namespace } }`,
    );
    expect(created.data!.registerRepository).toEqual({ name: 'quay.io/acme/ns-test', namespace: 'acme' });
    expect(dcCalls()).toContain('POST /api/repo/v1/acme/repository/');
    gw.sandbox.resetRequests();
    const empty = await gw.gql(
      `mutation { updateRepositoryCredentials(name: "quay.io/acme/ns-test", namespace: "acme") { name } }`,
    );
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    const missing = await gw.gql(
      `mutation { updateRepositoryCredentials(name: "quay.io/acme/missing", password: "p") { name } }`,
    );
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(dcCalls()).toEqual(['PATCH /api/repo/v1/repository/quay.io/acme/missing/']);
  });
});
