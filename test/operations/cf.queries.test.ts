import { beforeEach, describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();
beforeEach(() => {
  gw.sandbox.resetRequests();
  gw.sandbox.clearFaults();
});

const cfRequests = () => gw.sandbox.cf.requests();
const cfQueries = () => cfRequests().map((r) => new URLSearchParams(r.query));

describe('packages', () => {
  it('answers 50 packages with their apps in exactly 2 upstream calls (one list, one guids= apps call)', async () => {
    const res = await gw.gql(`{ packages(first: 50) { totalCount edges { node { guid type state app { name } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.packages.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(50);
    expect(res.data!.packages.totalCount).toBe(72);
    for (const node of nodes) expect(node.app.name).toEqual(expect.any(String));
    expect(res.extensions!.upstream!.calls).toBe(2);
    expect(cfRequests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v3/packages', 'GET /v3/apps']);
    const appsQuery = cfQueries()[1]!;
    const distinctApps = new Set(nodes.map((n: any) => n.app.name));
    expect(appsQuery.get('guids')!.split(',')).toHaveLength(distinctApps.size);
  });

  it('maps every filter and the order onto CF list parameters', async () => {
    const res = await gw.gql(`{
      packages(first: 10, filter: { types: [BITS], states: [READY, FAILED], labelSelector: "env in (prod,dev)", createdAt: { gte: "2024-01-01T00:00:00Z", lt: "2030-01-01T00:00:00.500Z" } },
               orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount nodes { type state updatedAt metadata { labels { key value } } }
      } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.packages.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.type).toBe('BITS');
      expect(['READY', 'FAILED']).toContain(node.state);
      expect(['prod', 'dev']).toContain(node.metadata.labels.find((l: any) => l.key === 'env').value);
    }
    const updated = nodes.map((n: any) => n.updatedAt);
    expect(updated).toEqual([...updated].sort().reverse());
    const query = cfQueries()[0]!;
    expect(query.get('types')).toBe('bits');
    expect(query.get('states')).toBe('READY,FAILED');
    expect(query.get('label_selector')).toBe('env in (prod,dev)');
    expect(query.get('created_ats[gte]')).toBe('2024-01-01T00:00:00Z');
    expect(query.get('created_ats[lt]')).toBe('2030-01-01T00:00:00Z');
    expect(query.get('order_by')).toBe('-updated_at');
  });

  it('filters by guids and app guids', async () => {
    const some = await gw.gql(`{ packages(first: 3) { nodes { guid appGuid } } }`);
    const [a, b] = some.data!.packages.nodes;
    const res = await gw.gql(
      `query($g: [ID!], $apps: [ID!]) { byGuid: packages(filter: { guids: $g }) { totalCount nodes { guid } } byApp: packages(first: 100, filter: { appGuids: $apps }) { nodes { appGuid } } }`,
      {
        // Sent as given (ids are opaque: no case folding); the upper-case one is a guid CF does not hold.
        g: [a.guid, b.guid, b.guid.toUpperCase()],
        apps: [a.appGuid],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.byGuid.totalCount).toBe(2);
    expect(new Set(res.data!.byApp.nodes.map((n: any) => n.appGuid))).toEqual(new Set([a.appGuid]));
  });

  it('pages with cursors and totalCount, unaligned windows included', async () => {
    const all = await gw.gql(`{ packages(first: 100) { totalCount pageInfo { hasNextPage } nodes { guid } } }`);
    const guids = all.data!.packages.nodes.map((n: any) => n.guid);
    expect(guids).toHaveLength(72);
    expect(all.data!.packages.pageInfo.hasNextPage).toBe(false);
    const first = await gw.gql(
      `{ packages(first: 7) { pageInfo { hasNextPage hasPreviousPage endCursor } nodes { guid } } }`,
    );
    expect(first.data!.packages.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = await gw.gql(
      `query($after: String) { packages(first: 10, after: $after) { totalCount pageInfo { hasPreviousPage } nodes { guid } } }`,
      {
        after: first.data!.packages.pageInfo.endCursor,
      },
    );
    expect(next.data!.packages.nodes.map((n: any) => n.guid)).toEqual(guids.slice(7, 17));
    expect(next.data!.packages.pageInfo.hasPreviousPage).toBe(true);
    expect(next.data!.packages.totalCount).toBe(72);
  });

  it('counts without listing: first: 0 asks CF for one item only when totalCount is selected', async () => {
    const counted = await gw.gql(`{ packages(first: 0, filter: { types: [DOCKER] }) { totalCount nodes { guid } } }`);
    expect(counted.data!.packages.nodes).toEqual([]);
    expect(counted.data!.packages.totalCount).toBeGreaterThan(0);
    expect(cfQueries()[0]!.get('per_page')).toBe('1');
    gw.sandbox.resetRequests();
    const none = await gw.gql(`{ packages(first: 0) { nodes { guid } } }`);
    expect(none.data!.packages.nodes).toEqual([]);
    expect(cfRequests()).toHaveLength(0);
  });

  it('reads one package by guid with bits or docker data, and null for a guid CF does not know', async () => {
    const list = await gw.gql(
      `{ bits: packages(first: 1, filter: { types: [BITS], states: [READY] }) { nodes { guid } } docker: packages(first: 1, filter: { types: [DOCKER] }) { nodes { guid } } }`,
    );
    const res = await gw.gql(
      `query($b: ID!, $d: ID!) {
      b: package(guid: $b) { guid type bits { checksum { type value } error } docker { image } }
      d: package(guid: $d) { guid type bits { error } docker { image username hasPassword } }
      missing: package(guid: "00000000-0000-4000-8000-000000000000") { guid } }`,
      { b: list.data!.bits.nodes[0].guid, d: list.data!.docker.nodes[0].guid },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.b).toMatchObject({
      type: 'BITS',
      docker: null,
      bits: { checksum: { value: expect.stringMatching(/^[0-9a-f]{40,64}$/) } },
    });
    expect(res.data!.d).toMatchObject({
      type: 'DOCKER',
      bits: null,
      docker: { image: expect.any(String), hasPassword: expect.any(Boolean) },
    });
    expect(res.data!.missing).toBeNull();
  });

  it('asks Cloud Foundry about a guid of any form, and refuses one it cannot send before any request', async () => {
    const traversal = await gw.gql(`{ package(guid: "../apps") { guid } }`);
    expect(traversal.errors).toBeUndefined();
    expect(traversal.data!.package).toBeNull();
    expect(cfRequests()).toHaveLength(1);
    gw.sandbox.resetRequests();
    for (const guid of ['', 'a,b', 'tab\there']) {
      const res = await gw.gql(`query($g: ID!) { package(guid: $g) { guid } }`, { g: guid });
      expect(codes(res), guid).toEqual(['BAD_USER_INPUT']);
    }
    expect(cfRequests()).toHaveLength(0);
  });

  it('maps a bad label selector (CF 400) to BAD_USER_INPUT with CF title and detail', async () => {
    const res = await gw.gql(`{ packages(filter: { labelSelector: "=oops" }) { nodes { guid } } }`);
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstream: 'cf',
      status: 400,
      upstreamCode: 'CF-BadQueryParameter',
    });
  });

  it('keeps the page when the batched apps call fails: app is null with an error on each', async () => {
    gw.sandbox.cf.injectFault({ path: '/v3/apps', status: 500 });
    const res = await gw.gql(`{ packages(first: 5) { nodes { guid app { name } } } }`);
    expect(res.data!.packages.nodes).toHaveLength(5);
    for (const node of res.data!.packages.nodes) expect(node.app).toBeNull();
    expect(new Set(codes(res))).toEqual(new Set(['UPSTREAM_ERROR']));
  });

  it('lists the droplets of packages and downloads a READY bits package', async () => {
    const res = await gw.gql(
      `{ packages(first: 100, filter: { states: [READY] }) { nodes { guid type droplets(first: 5) { totalCount nodes { guid state lifecycleType checksum { type } buildpacks { name } image } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const withDroplets = res.data!.packages.nodes.filter((n: any) => n.droplets.totalCount > 0);
    expect(withDroplets.length).toBeGreaterThan(0);
    const bits = res.data!.packages.nodes.find((n: any) => n.type === 'BITS');
    const archive = await gw.gql(
      `query($g: ID!) { packageArchive(guid: $g) { guid sizeBytes sha256 contentBase64 } }`,
      { g: bits.guid },
    );
    expect(archive.errors).toBeUndefined();
    const bytes = Buffer.from(archive.data!.packageArchive.contentBase64, 'base64');
    expect(bytes.length).toBe(archive.data!.packageArchive.sizeBytes);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it('reports CF 422 on a download of a package without bits as BAD_USER_INPUT with its detail', async () => {
    const docker = await gw.gql(`{ packages(first: 1, filter: { types: [DOCKER] }) { nodes { guid } } }`);
    const res = await gw.gql(`query($g: ID!) { packageArchive(guid: $g) { sizeBytes } }`, {
      g: docker.data!.packages.nodes[0].guid,
    });
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 422,
      upstreamCode: 'CF-UnprocessableEntity',
    });
    expect(res.errors![0]!.message).toContain('Package type must be bits.');
  });
});

describe('apps', () => {
  it('lists apps with filters and order, and each app’s packages', async () => {
    const res = await gw.gql(
      `{ apps(first: 50, orderBy: { field: NAME }, filter: { labelSelector: "team=platform" }) { totalCount nodes { guid name state lifecycle { type buildpacks stack } spaceGuid packages(first: 3) { totalCount nodes { appGuid } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.apps.nodes;
    expect(nodes.length).toBeGreaterThan(1);
    const names = nodes.map((n: any) => n.name);
    expect(names).toEqual([...names].sort());
    for (const app of nodes) {
      expect(app.packages.totalCount).toBeGreaterThan(0);
      for (const pkg of app.packages.nodes) expect(pkg.appGuid).toBe(app.guid);
    }
    expect(res.extensions!.upstream!.calls).toBe(1 + nodes.length);
    expect(cfQueries()[0]!.get('order_by')).toBe('name');
  });

  it('reads an app by guid, by name filter, and null for an unknown guid', async () => {
    const list = await gw.gql(`{ apps(first: 1) { nodes { guid name } } }`);
    const { guid, name } = list.data!.apps.nodes[0];
    const res = await gw.gql(
      `query($g: ID!, $n: [String!]) { app(guid: $g) { name } byName: apps(filter: { names: $n }) { nodes { guid } } missing: app(guid: "00000000-0000-4000-8000-000000000000") { name } }`,
      {
        g: guid,
        n: [name],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.app.name).toBe(name);
    expect(res.data!.byName.nodes).toEqual([{ guid }]);
    expect(res.data!.missing).toBeNull();
  });
});

describe('federation', () => {
  it('declares Package, App, Repository and Registry as entities in the subgraph SDL', async () => {
    const res = await gw.gql(`{ _service { sdl } }`);
    const sdl: string = res.data!._service.sdl;
    expect(sdl).toMatch(/type Package\s+@key\(fields: "guid"\)/);
    expect(sdl).toMatch(/type App\s+@key\(fields: "guid"\)/);
    expect(sdl).toMatch(/type Repository\s+@key\(fields: "namespace name"\)/);
    expect(sdl).toMatch(/type Registry\s+@key\(fields: "namespace host"\)/);
    expect(sdl).toMatch(/type CfJob implements Job/);
  });

  it('resolves 60 Package representations with two guids= calls (chunks of 50)', async () => {
    const list = await gw.gql(`{ packages(first: 60) { nodes { guid } } }`);
    gw.sandbox.resetRequests();
    const representations = list.data!.packages.nodes.map((n: any) => ({ __typename: 'Package', guid: n.guid }));
    const res = await gw.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Package { guid state } } }`,
      { r: representations },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e: any) => e.guid)).toEqual(representations.map((r: any) => r.guid));
    expect(cfRequests().map((r) => r.path)).toEqual(['/v3/packages', '/v3/packages']);
    expect(
      cfQueries()
        .map((q) => q.get('guids')!.split(',').length)
        .sort(),
    ).toEqual([10, 50]);
  });
});
