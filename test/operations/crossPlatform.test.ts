import { beforeEach, describe, expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';
import { DEMO_TENANT } from '../../src/sandbox/index.js';

const gw = useTestGateway();
beforeEach(() => {
  gw.sandbox.resetRequests();
  gw.sandbox.clearFaults();
});

describe('a Cloud Foundry docker package’s image', () => {
  it('resolves to the Docker Cloud repository and its registry in one query', async () => {
    const res = await gw.gql(
      `{ packages(first: 100, filter: { types: [DOCKER] }) { nodes { guid docker { image } image { reference registry path tag digest dockerCloudName repository { name registry { name } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.packages.nodes;
    expect(nodes.length).toBeGreaterThan(5);
    for (const node of nodes) expect(node.image.reference).toBe(node.docker.image);

    const byPath = new Map(nodes.map((n: any) => [n.image.path, n.image]));
    // Docker Hub: `nginx:…` is the official image library/nginx, named without a host in Docker Cloud.
    expect(byPath.get('library/nginx')).toMatchObject({
      registry: 'registry-1.docker.io',
      repository: { name: 'library/nginx', registry: { name: 'Docker Hub' } },
    });
    expect(byPath.get('acme/worker')).toMatchObject({
      repository: { name: 'acme/worker', registry: { name: 'Docker Hub' } },
    });
    expect(byPath.get('acme/gateway')).toMatchObject({
      registry: 'quay.io',
      repository: { name: 'quay.io/acme/gateway', registry: { name: 'Quay' } },
    });
    // A registry Docker Cloud does not know: the reference parses, the repository is null, and that is no error.
    expect(byPath.get('legacy/monolith')).toMatchObject({ registry: 'registry.example.net', repository: null });

    const upstream = res.extensions!.upstream!;
    const repositoryReads = upstream.requests.filter((r) => r.path.includes('/repository/'));
    const distinctNames = new Set(nodes.map((n: any) => n.image.dockerCloudName));
    expect(repositoryReads).toHaveLength(distinctNames.size);
    expect(upstream.requests.filter((r) => r.path.includes('/registry/'))).toHaveLength(1);
    expect(upstream.calls).toBe(1 + distinctNames.size + 1);
  });

  it('is null for a bits package; an image that is not a valid reference is refused on the way in', async () => {
    const apps = await gw.gql(
      `{ apps(first: 100, filter: { labelSelector: "runtime=container" }) { nodes { guid } } }`,
    );
    gw.sandbox.resetRequests();
    const created = await gw.gql(
      `mutation($a: ID!) { createPackage(input: { appGuid: $a, type: DOCKER, docker: { image: "https://Not A//reference" } }) { guid docker { image } image { path } } }`,
      {
        a: apps.data!.apps.nodes[0].guid,
      },
    );
    expect(created.data!.createPackage).toBeNull();
    expect(created.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.docker.image' });
    expect(gw.sandbox.cf.requests()).toEqual([]);
    const bits = await gw.gql(`{ packages(first: 3, filter: { types: [BITS] }) { nodes { image { path } } } }`);
    expect(bits.data!.packages.nodes.every((n: any) => n.image === null)).toBe(true);
  });

  it('looks in another namespace when asked', async () => {
    const res = await gw.gql(
      `{ packages(first: 100, filter: { types: [DOCKER] }) { nodes { image { path mine: repository { namespace } org: repository(namespace: "acme") { name namespace } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const worker = res.data!.packages.nodes.find((n: any) => n.image.path === 'acme/worker').image;
    expect(worker).toEqual({
      path: 'acme/worker',
      mine: { namespace: DEMO_TENANT.dockercloud.username },
      org: { name: 'acme/worker', namespace: 'acme' },
    });
    const nginx = res.data!.packages.nodes.find((n: any) => n.image.path === 'library/nginx').image;
    expect(nginx.org).toBeNull();
  });

  it('keeps the packages when Docker Cloud fails: repository is null with an error', async () => {
    gw.sandbox.dockercloud.injectFault({ path: '/api/repo/v1/repository/', status: 500 });
    const res = await gw.gql(
      `{ packages(first: 100, filter: { types: [DOCKER] }) { nodes { guid image { path repository { name } } } } }`,
    );
    expect(res.data!.packages.nodes.length).toBeGreaterThan(0);
    const parsed = res.data!.packages.nodes.filter((n: any) => n.image !== null);
    expect(parsed.length).toBeGreaterThan(0);
    for (const node of parsed) expect(node.image.repository).toBeNull();
    expect(res.errors!.every((e) => e.extensions?.upstream === 'dockercloud')).toBe(true);
  });
});

describe('a Cycle registry-backed source origin', () => {
  it('parses Docker Hub, Docker registry and OCI targets and finds their Docker Cloud repositories', async () => {
    const res = await gw.gql(`{ imageSources(first: 100) { nodes { origin {
      __typename
      ... on DockerHubOrigin { target image { registry path tag repository { name registry { host } } } }
      ... on DockerRegistryOrigin { target url image { reference registry path tag repository { name registry { host } } } }
      ... on OciRegistryOrigin { target url image { reference registry path tag repository { name registry { host } } } }
    } } } }`);
    expect(res.errors).toBeUndefined();
    const origins = res.data!.imageSources.nodes.map((n: any) => n.origin).filter((o: any) => 'image' in o);
    const kinds = new Set(origins.map((o: any) => o.__typename));
    expect(kinds).toEqual(new Set(['DockerHubOrigin', 'DockerRegistryOrigin', 'OciRegistryOrigin']));
    for (const origin of origins) {
      expect(origin.image).not.toBeNull();
      expect(origin.image.repository).not.toBeNull();
      expect(origin.image.repository.registry.host).toBe(origin.image.registry.replace(/:\d+$/, ''));
      if (origin.__typename !== 'DockerHubOrigin') {
        expect(origin.image.registry).toBe(new URL(origin.url).host);
        expect(origin.image.reference).toBe(`${new URL(origin.url).host}/${origin.target}`);
      }
    }
    const hub = origins.find((o: any) => o.__typename === 'DockerHubOrigin' && !o.target.includes('/'));
    if (hub) expect(hub.image.path.startsWith('library/')).toBe(true);
  });
});
