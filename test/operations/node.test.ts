// Relay's Global Object Identification: `nodeId` on every entity, `node(id)` and `nodes(ids)` reading through the
// per-request loaders (so `nodes` batches like federation `_entities`), nulls for unknown ids and BAD_USER_INPUT for
// ids this graph could not have issued.
import { describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();

const NODE_FIELDS = `
  __typename nodeId
  ... on Image { id name }
  ... on ImageSource { id name }
  ... on CycleJob { id operation }
  ... on CfJob { id operation }
  ... on Package { guid state }
  ... on App { guid name }
  ... on Repository { name namespace }
  ... on Registry { host name }
`;

const decode = (nodeId: string) => Buffer.from(nodeId, 'base64url').toString('utf8');

describe('nodeId', () => {
  it('is an opaque base64url id of `Type:key` on every entity, next to the upstream id', async () => {
    const res = await gw.gql(`{
      images(first: 1) { nodes { id nodeId } }
      packages(first: 1) { nodes { guid nodeId } }
      repository(name: "acme/worker", namespace: "acme") { name nodeId }
      registry(host: "quay.io") { host nodeId }
    }`);
    expect(res.errors).toBeUndefined();
    const image = res.data!.images.nodes[0];
    const pkg = res.data!.packages.nodes[0];
    expect(image.nodeId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decode(image.nodeId)).toBe(`Image:${image.id}`);
    expect(decode(pkg.nodeId)).toBe(`Package:${pkg.guid}`);
    expect(decode(res.data!.repository.nodeId)).toBe('Repository:acme/worker?namespace=acme');
    expect(decode(res.data!.registry.nodeId)).toBe(`Registry:quay.io?namespace=${DEMO_TENANT.dockercloud.username}`);
  });
});

describe('node(id)', () => {
  it('reads every Node type back by its nodeId', async () => {
    const listed = await gw.gql(`{
      images(first: 1) { nodes { nodeId id name } }
      imageSources(first: 1) { nodes { nodeId id name } }
      cycleJobs(first: 1) { nodes { nodeId id operation } }
      packages(first: 1, filter: { types: [DOCKER] }) { nodes { nodeId guid state } }
      apps(first: 1) { nodes { nodeId guid name } }
      repositories(first: 1, namespace: "acme") { nodes { nodeId name namespace } }
      registries(first: 1, namespace: "acme") { nodes { nodeId host name } }
    }`);
    expect(listed.errors).toBeUndefined();
    // A Cloud Foundry job: the one deleting another package.
    const other = await gw.gql(`{ packages(first: 2, filter: { types: [DOCKER] }) { nodes { guid } } }`);
    const job = await gw.gql(`mutation($g: ID!) { deletePackage(guid: $g) { nodeId id operation } }`, {
      g: other.data!.packages.nodes[1].guid,
    });
    expect(job.errors).toBeUndefined();
    const typeOf: Record<string, string> = {
      images: 'Image',
      imageSources: 'ImageSource',
      cycleJobs: 'CycleJob',
      packages: 'Package',
      apps: 'App',
      repositories: 'Repository',
      registries: 'Registry',
    };
    const expected = [
      ...Object.entries(listed.data!).map(([field, connection]: [string, any]) => ({
        __typename: typeOf[field],
        ...connection.nodes[0],
      })),
      { __typename: 'CfJob', ...job.data!.deletePackage },
    ];
    expect(expected).toHaveLength(8);
    for (const node of expected) {
      const read = await gw.gql(`query($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`, { id: node.nodeId });
      expect(read.errors).toBeUndefined();
      expect(read.data!.node).toEqual(node);
    }
  });

  it('gives jobs their nodeId through the Job interface', async () => {
    const list = await gw.gql(`{ cycleJobs(first: 1) { nodes { id } } }`);
    const res = await gw.gql(`query($id: ID!) { job(id: $id) { nodeId } }`, { id: list.data!.cycleJobs.nodes[0].id });
    expect(decode(res.data!.job.nodeId)).toBe(`CycleJob:${list.data!.cycleJobs.nodes[0].id}`);
  });

  it('asks Cycle for the relationships selected under node, in the same request', async () => {
    const list = await gw.gql(`{ images(first: 1) { nodes { nodeId } } }`);
    gw.sandbox.resetRequests();
    const res = await gw.gql(
      `query($id: ID!) { node(id: $id) { ... on Image { source { name } containersCount { total } } } }`,
      { id: list.data!.images.nodes[0].nodeId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.node.source.name).toEqual(expect.any(String));
    expect(res.extensions!.upstream!.calls).toBe(1);
    const query = new URLSearchParams(gw.sandbox.cycle.requests()[0]!.query);
    expect([query.getAll('include'), query.getAll('meta')]).toEqual([['sources'], ['containers_count']]);
  });

  it('is null, without an error, for a well-formed id the upstream does not know', async () => {
    const unknown = Buffer.from('Package:00000000-0000-4000-8000-000000000000').toString('base64url');
    const res = await gw.gql(`query($id: ID!) { node(id: $id) { nodeId } }`, { id: unknown });
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toBeNull();
  });

  it.each([
    ['not base64url', 'Image:abc'],
    ['an unknown type', Buffer.from('Droplet:00000000-0000-4000-8000-000000000000').toString('base64url')],
    ['a key no request can carry', Buffer.from('Image:..').toString('base64url')],
    ['a package guid with a comma (it would split a guids= filter)', Buffer.from('Package:a,b').toString('base64url')],
    [
      'a non-canonical encoding',
      `${Buffer.from('Package:00000000-0000-4000-8000-000000000000').toString('base64url')}=`,
    ],
    ['an upstream id instead of a nodeId', '66a263b53117c88aadfd452c'],
  ])('is null with BAD_USER_INPUT, before any upstream call, for %s', async (_what, id) => {
    const res = await gw.gql(`query($id: ID!) { node(id: $id) { nodeId } }`, { id });
    expect(res.data!.node).toBeNull();
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.path).toEqual(['node']);
    expect(res.extensions!.upstream!.calls).toBe(0);
  });
});

it('reads a key of any form from its upstream: unknown there, null without an error (ids are opaque)', async () => {
  for (const key of ['Image:../../etc', 'Package:guid-d8b8148d-5798-44de-821a-64b85b15e968']) {
    const res = await gw.gql(`query($id: ID!) { node(id: $id) { nodeId } }`, {
      id: Buffer.from(key).toString('base64url'),
    });
    expect(res.errors, key).toBeUndefined();
    expect(res.data!.node, key).toBeNull();
    expect(res.extensions!.upstream!.calls, key).toBe(1);
  }
});

describe('nodes(ids)', () => {
  it('reads 50 packages with one upstream call, in the order asked', async () => {
    const list = await gw.gql(`{ packages(first: 50) { nodes { guid nodeId } } }`);
    const ids: string[] = list.data!.packages.nodes.map((n: any) => n.nodeId).reverse();
    gw.sandbox.resetRequests();
    const res = await gw.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { nodeId ... on Package { state } } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data!.nodes.map((n: any) => n.nodeId)).toEqual(ids);
    expect(res.extensions!.upstream!.calls).toBe(1);
    expect(gw.sandbox.cf.requests().map((r) => r.path)).toEqual(['/v3/packages']);
  });

  it('reads each distinct image once, however often it is asked for', async () => {
    const list = await gw.gql(`{ images(first: 5) { nodes { nodeId } } }`);
    const distinct: string[] = list.data!.images.nodes.map((n: any) => n.nodeId);
    const ids = Array.from({ length: 30 }, (_, i) => distinct[i % distinct.length]!);
    gw.sandbox.resetRequests();
    const res = await gw.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data!.nodes.map((n: any) => n.nodeId)).toEqual(ids);
    expect(gw.sandbox.cycle.requests()).toHaveLength(distinct.length);
  });

  it('answers one entry per id: null for unknown ones, null and an error at its index for invalid ones', async () => {
    const list = await gw.gql(`{ apps(first: 1) { nodes { nodeId } } }`);
    const app = list.data!.apps.nodes[0].nodeId;
    gw.sandbox.resetRequests();
    const unknown = Buffer.from('App:00000000-0000-4000-8000-000000000000').toString('base64url');
    const res = await gw.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }`, {
      ids: [app, 'garbage', unknown, app],
    });
    expect(res.data!.nodes).toEqual([{ nodeId: app }, null, null, { nodeId: app }]);
    expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['nodes', 1], 'BAD_USER_INPUT']]);
    expect(gw.sandbox.cf.requests()).toHaveLength(1);
  });
});
