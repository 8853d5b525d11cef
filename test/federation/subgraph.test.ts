// The subgraph contract a router relies on, over HTTP against the sandbox: `_service { sdl }` (what `npm run
// supergraph` prints), `_entities` fetches shaped like a router's fetch nodes and what they cost upstream, and
// federated tracing on request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kind, parse, type DirectiveNode, type DocumentNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();

/** A router's entity fetch: one `_entities` query with the representations as a variable. */
function entitiesQuery(selections: string): string {
  return `query Supergraph__imagegraph__1($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selections} } }`;
}

async function fetchEntities(selections: string, representations: Record<string, unknown>[]) {
  return gw.gql<{ _entities: (Record<string, any> | null)[] }>(entitiesQuery(selections), { representations });
}

/** Directives applied to each type (definitions and extensions together), by type name. */
function directivesByType(document: DocumentNode): Map<string, DirectiveNode[]> {
  const byType = new Map<string, DirectiveNode[]>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    byType.set(definition.name.value, [...(byType.get(definition.name.value) ?? []), ...(definition.directives ?? [])]);
  }
  return byType;
}

function keyFields(directives: readonly DirectiveNode[]): string[] {
  return directives
    .filter((d) => d.name.value === 'key')
    .map((d) => d.arguments?.find((a) => a.name.value === 'fields')?.value)
    .map((v) => (v?.kind === Kind.STRING ? v.value : '?'));
}

describe('_service { sdl }', () => {
  let sdl: string;
  beforeAll(async () => {
    const res = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    sdl = res.data!._service.sdl;
  });

  it('links Federation 2 and keys every entity by its upstream id (Docker Cloud’s within its namespace)', () => {
    expect(sdl).toMatch(
      /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \[[^\]]*"@key"[^\]]*"@shareable"/,
    );
    const byType = directivesByType(parse(sdl));
    const keys = Object.fromEntries(
      [...byType].filter(([, d]) => keyFields(d).length > 0).map(([name, d]) => [name, keyFields(d)]),
    );
    expect(keys).toEqual({
      Image: ['id'],
      ImageSource: ['id'],
      Package: ['guid'],
      App: ['guid'],
      Repository: ['namespace name'],
      Registry: ['namespace host'],
    });
  });

  it('marks the shared value types @shareable', () => {
    const byType = directivesByType(parse(sdl));
    const shareable = [...byType].filter(([, d]) => d.some((x) => x.name.value === 'shareable')).map(([name]) => name);
    expect(shareable.sort()).toEqual([
      'Checksum',
      'JobError',
      'JobProgress',
      'KeyValue',
      'PageInfo',
      'ResourceEvents',
      'StateCount',
      'StateError',
    ]);
  });

  it('is what `npm run supergraph` prints, without starting a server', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/printSubgraphSdl.ts'], {
      timeout: 30_000,
    });
    expect(stdout).toBe(`${sdl}\n`);
  }, 60_000);
});

describe('_entities', () => {
  let packageGuids: string[];
  let imageIds: string[];
  beforeAll(async () => {
    const res = await gw.gql('{ packages(first: 50) { nodes { guid } } images(first: 20) { nodes { id } } }');
    packageGuids = res.data!.packages.nodes.map((n: { guid: string }) => n.guid);
    imageIds = res.data!.images.nodes.map((n: { id: string }) => n.id);
    expect(packageGuids).toHaveLength(50);
    expect(imageIds).toHaveLength(20);
  });

  it('resolves 50 Package representations with one upstream call (a `guids=` list)', async () => {
    const res = await fetchEntities(
      '... on Package { guid type state }',
      packageGuids.map((guid) => ({ __typename: 'Package', guid })),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.guid)).toEqual(packageGuids);
    expect(res.data!._entities.every((e) => e?.__typename === 'Package')).toBe(true);
    expect(res.extensions!.upstream!.calls).toBe(1);
    const requests = gw.sandbox.cf.requests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v3/packages']);
    expect(new URLSearchParams(requests[0]!.query).get('guids')!.split(',').sort()).toEqual([...packageGuids].sort());
  });

  it("adds one batched apps call when the fetch selects the packages' apps", async () => {
    const res = await fetchEntities(
      '... on Package { guid app { guid name } }',
      packageGuids.map((guid) => ({ __typename: 'Package', guid })),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.every((e) => typeof e?.app?.name === 'string')).toBe(true);
    expect(res.extensions!.upstream!.calls).toBe(2);
    expect(gw.sandbox.cf.requests().map((r) => r.path)).toEqual(['/v3/packages', '/v3/apps']);
  });

  it('resolves 50 Image representations of 20 images with one call per distinct image, relationships included', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => ({
      __typename: 'Image',
      id: imageIds[(i * 7) % imageIds.length]!,
    }));
    const res = await fetchEntities(
      '... on Image { id name source { name } containersCount { total } }',
      representations,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.id)).toEqual(representations.map((r) => r.id));
    expect(
      res.data!._entities.every(
        (e) => typeof e?.source?.name === 'string' && typeof e?.containersCount?.total === 'number',
      ),
    ).toBe(true);
    const distinct = new Set(representations.map((r) => r.id));
    expect(distinct.size).toBe(20);
    expect(res.extensions!.upstream!.calls).toBe(distinct.size);
    const requests = gw.sandbox.cycle.requests();
    expect(requests.map((r) => r.path).sort()).toEqual([...distinct].map((id) => `/v1/images/${id}`).sort());
    // The source and the meta came with each image, not from further calls.
    for (const request of requests) {
      const query = new URLSearchParams(request.query);
      expect(query.getAll('include')).toEqual(['sources']);
      expect(query.getAll('meta')).toEqual(['containers_count']);
    }
  });

  it('resolves the other entities through their loaders: sources, apps, repositories and registries', async () => {
    const some = await gw.gql(
      '{ imageSources(first: 3) { nodes { id } } apps(first: 5) { nodes { guid } } repositories(first: 4) { nodes { name } } registries(first: 4) { nodes { host } } }',
    );
    const sourceIds: string[] = some.data!.imageSources.nodes.map((n: any) => n.id);
    const appGuids: string[] = some.data!.apps.nodes.map((n: any) => n.guid);
    const repositories: { name: string }[] = some.data!.repositories.nodes;
    const hosts: string[] = some.data!.registries.nodes.map((n: any) => n.host);
    expect(hosts.length).toBeGreaterThan(1);
    gw.sandbox.resetRequests();
    const twice = <T>(items: T[]) => [...items, ...items];
    const representations = [
      ...twice(sourceIds).map((id) => ({ __typename: 'ImageSource', id })),
      ...twice(appGuids).map((guid) => ({ __typename: 'App', guid })),
      ...twice(repositories).map((r) => ({ __typename: 'Repository', namespace: null, name: r.name })),
      ...twice(hosts).map((host) => ({ __typename: 'Registry', namespace: null, host })),
    ];
    const res = await fetchEntities(
      '... on ImageSource { id name } ... on App { guid name } ... on Repository { name inUse } ... on Registry { host name }',
      representations,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.__typename)).toEqual(representations.map((r) => r.__typename));
    expect(res.data!._entities.every((e) => e !== null)).toBe(true);
    // Cycle and Docker Cloud repositories cannot batch: one GET per distinct key. CF apps: one guids= call.
    // Several registries: one registry list call.
    expect(gw.sandbox.cycle.requests()).toHaveLength(sourceIds.length);
    expect(gw.sandbox.cf.requests().map((r) => r.path)).toEqual(['/v3/apps']);
    const dockerCloud = gw.sandbox.dockercloud.requests().map((r) => r.path);
    expect(dockerCloud.filter((p) => p.includes('/repository/'))).toHaveLength(repositories.length);
    expect(dockerCloud.filter((p) => p.includes('/registry/'))).toEqual([expect.stringMatching(/\/registry\/$/)]);
    expect(res.extensions!.upstream!.calls).toBe(sourceIds.length + 1 + repositories.length + 1);
  });

  it('answers null with NOT_FOUND (type and key) for an entity the upstream does not know, BAD_USER_INPUT for an unsendable one', async () => {
    const missingGuid = '00000000-0000-4000-8000-000000000000';
    const missingImage = '0123456789abcdef01234567';
    const res = await fetchEntities('... on Package { guid state } ... on Image { id name }', [
      { __typename: 'Package', guid: packageGuids[0] },
      { __typename: 'Package', guid: 'two,guids' },
      { __typename: 'Package', guid: missingGuid },
      { __typename: 'Image', id: missingImage },
      { __typename: 'Image', id: imageIds[0] },
      { __typename: 'Package', guid: 'guid-not-a-uuid' },
    ]);
    expect(res.data!._entities.map((e) => e?.guid ?? e?.id ?? null)).toEqual([
      packageGuids[0],
      null,
      null,
      null,
      imageIds[0],
      null,
    ]);
    // In the order of the representations (errors arrive as their upstream calls finish).
    const errors = [...res.errors!].sort((a, b) => Number(a.path![1]) - Number(b.path![1]));
    expect(errors.map((e) => [e.path, e.extensions!.code])).toEqual([
      [['_entities', 1], 'BAD_USER_INPUT'],
      [['_entities', 2], 'NOT_FOUND'],
      [['_entities', 3], 'NOT_FOUND'],
      [['_entities', 5], 'NOT_FOUND'],
    ]);
    expect(errors[1]).toMatchObject({
      message: `No Package with guid "${missingGuid}"`,
      extensions: { typename: 'Package', key: { guid: missingGuid } },
    });
    expect(errors[2]!.message).toBe(`No Image with id "${missingImage}"`);
    // Ids are opaque (docs/upstream-notes.md): a guid of any form is asked of Cloud Foundry, which does not know it.
    expect(errors[3]!.message).toBe('No Package with guid "guid-not-a-uuid"');
  });

  it('answers a router-sized fetch (5,000 representations) costed by its upstream calls', async () => {
    // The 50 known packages and 4,950 well-formed guids the upstream does not know: 100 `guids=` calls of 50.
    const unknown = Array.from({ length: 4_950 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const representations = [...packageGuids, ...unknown].map((guid) => ({ __typename: 'Package', guid }));
    const res = await fetchEntities('... on Package { guid state app { name } }', representations);
    expect(res.status).toBe(200);
    const found = res.data!._entities.filter((e) => e !== null);
    expect(found.map((e) => e!.guid)).toEqual(packageGuids);
    expect(found.every((e) => typeof e!.app.name === 'string')).toBe(true);
    expect(res.errors!).toHaveLength(unknown.length);
    expect(new Set(res.errors!.map((e) => e.extensions!.code))).toEqual(new Set(['NOT_FOUND']));
    const calls = gw.sandbox.cf.requests().map((r) => r.path);
    expect(calls.filter((p) => p === '/v3/packages')).toHaveLength(100);
    expect(calls.filter((p) => p === '/v3/apps').length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('refuses a fetch above MAX_ENTITY_REPRESENTATIONS before any upstream request', async () => {
    const representations = Array.from({ length: 10_001 }, () => ({ __typename: 'Package', guid: packageGuids[0] }));
    const res = await fetchEntities('... on Package { guid }', representations);
    expect(res.status).toBe(400);
    expect(res.errors!.map((e) => [e.extensions!.code, e.extensions!.maxEntityRepresentations])).toEqual([
      ['TOO_MANY_REPRESENTATIONS', 10_000],
    ]);
    expect(gw.sandbox.cf.requests()).toHaveLength(0);
  });

  it('keeps by-id root fields answering a plain null for what does not exist', async () => {
    const res = await gw.gql(
      `{ package(guid: "00000000-0000-4000-8000-000000000000") { guid } image(id: "0123456789abcdef01234567") { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ package: null, image: null });
  });

  it('resolves a repository in the namespace its representation names: one name, two namespaces, two objects', async () => {
    const name = 'ghcr.io/acme/frontend';
    const direct = await gw.gql(
      `query($name: String!) { own: repository(name: $name) { nodeId inUse } org: repository(name: $name, namespace: "acme") { nodeId inUse } }`,
      { name },
    );
    expect(direct.errors).toBeUndefined();
    const { own, org } = direct.data!;
    expect(own.inUse).not.toBe(org.inUse);
    expect(own.nodeId).not.toBe(org.nodeId);

    const res = await fetchEntities('... on Repository { namespace name inUse nodeId registry { namespace host } }', [
      { __typename: 'Repository', namespace: null, name },
      { __typename: 'Repository', namespace: 'acme', name },
      { __typename: 'Repository', namespace: 'acme', name: 'ghcr.io/acme/nothing-here' },
      // The key the gateway gives the caller's own: its user's name.
      { __typename: 'Repository', namespace: DEMO_TENANT.dockercloud.username, name },
    ]);
    expect(res.data!._entities.map((e) => e && [e.namespace, e.name, e.inUse, e.nodeId])).toEqual([
      [DEMO_TENANT.dockercloud.username, name, own.inUse, own.nodeId],
      ['acme', name, org.inUse, org.nodeId],
      null,
      [DEMO_TENANT.dockercloud.username, name, own.inUse, own.nodeId],
    ]);
    expect(res.data!._entities[1]!.registry).toEqual({ namespace: 'acme', host: 'ghcr.io' });
    expect(res.errors!.map((e) => [e.path, e.extensions!.code, e.message])).toEqual([
      [['_entities', 2], 'NOT_FOUND', 'No Repository with namespace "acme", name "ghcr.io/acme/nothing-here"'],
    ]);
    const paths = gw.sandbox.dockercloud.requests().map((r) => r.path);
    expect(paths).toContain(`/api/repo/v1/repository/${name}/`);
    expect(paths).toContain(`/api/repo/v1/acme/repository/${name}/`);
  });
});

describe('federated tracing (ftv1)', () => {
  const QUERY = '{ packages(first: 2) { nodes { guid } } }';

  it('adds extensions.ftv1 when the router asks with apollo-federation-include-trace', async () => {
    const res = await gw.gql(QUERY, {}, { 'apollo-federation-include-trace': 'ftv1' });
    expect(res.errors).toBeUndefined();
    const ftv1 = res.extensions!.ftv1;
    expect(ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // A protobuf Trace: the response names of the traced fields are in it as UTF-8 strings.
    const trace = Buffer.from(ftv1, 'base64');
    expect(trace.includes(Buffer.from('packages'))).toBe(true);
    expect(trace.includes(Buffer.from('guid'))).toBe(true);
  });

  it('adds no trace when not asked', async () => {
    const res = await gw.gql(QUERY);
    expect(res.extensions?.ftv1).toBeUndefined();
  });
});
