import { describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/shared/credentials.js';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();

const cycleQueries = () => gw.sandbox.cycle.requests().map((r) => new URLSearchParams(r.query));

describe('images', () => {
  it('answers 20 images with sources, creators and container counts in exactly one upstream call', async () => {
    gw.expectUpstream('cycle GET /v1/images');
    const res = await gw.gql(
      `{ images(first: 20) { edges { node { id name source { name } creator { __typename ... on AccountCreator { name } } containersCount { total } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.images.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(20);
    expect(
      nodes.some((node: any) => node.creator.__typename === 'AccountCreator' && typeof node.creator.name === 'string'),
    ).toBe(true);
    for (const node of nodes) {
      expect(node.source.name).toEqual(expect.any(String));
      expect(node.creator.__typename).toMatch(/Creator$/);
      expect(node.containersCount.total).toEqual(expect.any(Number));
    }
    expect(res.extensions!.upstream!.calls).toBe(1);
    const [query] = cycleQueries();
    expect(query!.getAll('include').sort()).toEqual(['creators', 'sources']);
    expect(query!.getAll('meta')).toEqual(['containers_count']);
    // One item past the window: whether a page follows is then known exactly (cycle/paging.ts).
    expect(query!.get('page[size]')).toBe('21');
  });

  it("answers a creator's kind and id from the image itself, without include=creators", async () => {
    gw.expectUpstream('cycle GET /v1/images');
    const identityOnly = `{ images(first: 20) { nodes { id creator { __typename ... on AccountCreator { id } ... on ApiKeyCreator { id } } } } }`;
    const res = await gw.gql(identityOnly);
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.upstream!.calls).toBe(1);
    expect(cycleQueries()[0]!.has('include')).toBe(false);
    // The same kinds and ids as when Cycle includes the creators.
    gw.sandbox.resetRequests();
    const detailed = await gw.gql(
      identityOnly.replace('... on AccountCreator { id }', '... on AccountCreator { id name }'),
    );
    expect(detailed.errors).toBeUndefined();
    expect(cycleQueries()[0]!.getAll('include')).toEqual(['creators']);
    const creators = (data: any) =>
      data.images.nodes.map((n: any) => ({ image: n.id, kind: n.creator?.__typename, id: n.creator?.id }));
    expect(creators(res.data)).toEqual(creators(detailed.data));
    expect(new Set(creators(res.data).map((c: any) => c.kind)).size).toBeGreaterThan(1);
    expect(creators(res.data).some((c: any) => c.kind === 'AccountCreator' && typeof c.id === 'string')).toBe(true);
  });

  it('includes creators when any selection of creator needs more than kind and id', async () => {
    const res = await gw.gql(
      `{ images(first: 5) { nodes { kind: creator { __typename } who: creator { ... on AccountCreator { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.upstream!.calls).toBe(1);
    expect(cycleQueries()[0]!.getAll('include')).toEqual(['creators']);
  });

  it('asks for no include or meta when the client selects none', async () => {
    const res = await gw.gql(
      `{ images(first: 5) { nodes { id name size state { current } events { created deleted } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.images.nodes).toHaveLength(5);
    const [query] = cycleQueries();
    expect(query!.has('include')).toBe(false);
    expect(query!.has('meta')).toBe(false);
  });

  it('sees selections through fragments and aliases', async () => {
    const res = await gw.gql(`
      query { images(first: 3) { edges { node { ...ImageBits } } } }
      fragment ImageBits on Image { id owner: creator { ... on AccountCreator { email } } }`);
    expect(res.errors).toBeUndefined();
    expect(cycleQueries()[0]!.getAll('include')).toEqual(['creators']);
  });

  it('follows @include on variables request by request (look-ahead is reused across requests only when it may be)', async () => {
    const document = `query($withSource: Boolean!) { images(first: 2) { nodes { id source @include(if: $withSource) { name } } } }`;
    for (const withSource of [true, false, true, false]) {
      gw.sandbox.resetRequests();
      const res = await gw.gql(document, { withSource });
      expect(res.errors).toBeUndefined();
      expect(res.data!.images.nodes[0].source !== undefined).toBe(withSource);
      expect(cycleQueries()[0]!.getAll('include')).toEqual(withSource ? ['sources'] : []);
    }
    // The same document without variables, twice: the second request reuses the parsed selection and asks the same.
    for (let i = 0; i < 2; i++) {
      gw.sandbox.resetRequests();
      await gw.gql(
        `{ images(first: 2) { nodes { id source @include(if: true) { name } creator @skip(if: true) { __typename } } } }`,
      );
      expect(cycleQueries()[0]!.getAll('include')).toEqual(['sources']);
    }
  });

  it('pages with Relay cursors until Cycle answers a short page', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await gw.gql(
        `query($after: String) { images(first: 100, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      for (const edge of res.data.images.edges) seen.add(edge.node.id);
      pages += 1;
      if (!res.data.images.pageInfo.hasNextPage) break;
      after = res.data.images.pageInfo.endCursor;
    }
    expect(seen.size).toBeGreaterThanOrEqual(200);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('maps filters and sort onto filter[...] and sort', async () => {
    const res = await gw.gql(
      `{ images(first: 10, filter: { states: [LIVE, BUILDING], search: "api" }, sort: [{ field: NAME, direction: DESC }]) { nodes { name state { current } } } }`,
    );
    expect(res.errors).toBeUndefined();
    for (const node of res.data!.images.nodes) expect(['LIVE', 'BUILDING']).toContain(node.state.current);
    const names = res.data!.images.nodes.map((n: any) => n.name);
    expect(names).toEqual([...names].sort().reverse());
    const [query] = cycleQueries();
    expect(query!.get('filter[state]')).toBe('live,building');
    expect(query!.get('filter[search]')).toBe('api');
    expect(query!.getAll('sort')).toEqual(['-name']);
  });

  it('reads one image by id, and null for an id Cycle does not know', async () => {
    const list = await gw.gql(`{ images(first: 1) { nodes { id name } } }`);
    const { id, name } = list.data!.images.nodes[0];
    const res = await gw.gql(
      `query($id: ID!, $missing: ID!) { image(id: $id) { id name source { id } } missing: image(id: $missing) { id } }`,
      {
        id,
        missing: 'ffffffffffffffffffffffff',
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.image).toMatchObject({ id, name });
    expect(res.data!.missing).toBeNull();
  });

  it('sends an id of any form as one encoded segment, and refuses one no path can carry before any request', async () => {
    const traversal = await gw.gql(`{ image(id: "../jobs") { id } }`);
    expect(traversal.errors).toBeUndefined();
    expect(traversal.data!.image).toBeNull();
    expect(gw.sandbox.cycle.requests().map((r) => r.path)).toEqual(['/v1/images/..%2Fjobs']);
    gw.sandbox.resetRequests();
    const res = await gw.gql(`{ image(id: "..") { id } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('refuses first beyond the maximum and answers first: 0 without a call', async () => {
    const tooMany = await gw.gql(`{ images(first: 1000) { nodes { id } } }`);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    const none = await gw.gql(`{ images(first: 0) { nodes { id } pageInfo { hasNextPage } } }`);
    expect(none.data!.images).toEqual({ nodes: [], pageInfo: { hasNextPage: false } });
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('returns build logs, and null for images without one', async () => {
    const res = await gw.gql(`{ images(first: 40) { nodes { id buildLog { log } } } }`);
    expect(res.errors).toBeUndefined();
    const logs = res.data!.images.nodes.map((n: any) => n.buildLog);
    expect(logs.some((l: any) => l && l.log.length > 0)).toBe(true);
    expect(logs.some((l: any) => l === null)).toBe(true);
  });

  it('resolves stacks, stack builds and integrations where Cycle includes them', async () => {
    const res = await gw.gql(
      `{ images(first: 100, filter: { sourceType: STACK_BUILD }) { nodes { id origin { type stackId } stack { id name } stackBuild { id stackId } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.images.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.origin.type).toBe('STACK_BUILD');
      expect(node.stack.id).toBe(node.origin.stackId);
      expect(node.stackBuild.stackId).toBe(node.origin.stackId);
    }
    const withIntegration = await gw.gql(`{ images(first: 100) { nodes { integration { id name vendor } } } }`);
    expect(withIntegration.errors).toBeUndefined();
    expect(withIntegration.data!.images.nodes.some((n: any) => n.integration !== null)).toBe(true);
  });
});

describe('image sources', () => {
  it('answers 10 sources with their image counts and 3 images each in at most 11 calls', async () => {
    const res = await gw.gql(
      `{ imageSources(first: 10) { edges { node { name imagesCount { total } images(first: 3) { edges { node { name } } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.imageSources.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(10);
    for (const node of nodes) {
      expect(node.images.edges.length).toBeLessThanOrEqual(3);
      expect(node.images.edges.length).toBe(Math.min(3, node.imagesCount.total));
    }
    expect(res.extensions!.upstream!.calls).toBe(11);
    expect(cycleQueries()[0]!.getAll('meta')).toEqual(['images_count']);
  });

  it('exposes every origin kind as its union member', async () => {
    const res = await gw.gql(`{ imageSources(first: 100) { nodes { type origin { __typename } } } }`);
    expect(res.errors).toBeUndefined();
    const kinds = new Set(res.data!.imageSources.nodes.map((n: any) => n.origin.__typename));
    for (const kind of [
      'DockerHubOrigin',
      'DockerRegistryOrigin',
      'OciRegistryOrigin',
      'DockerFileOrigin',
      'CycleUploadOrigin',
    ])
      expect(kinds).toContain(kind);
  });

  it('reads a source by id with its creator and ACL', async () => {
    const list = await gw.gql(`{ imageSources(first: 1) { nodes { id } } }`);
    const id = list.data!.imageSources.nodes[0].id;
    gw.sandbox.resetRequests();
    const res = await gw.gql(
      `query($id: ID!) { imageSource(id: $id) { id name creator { __typename ... on AccountCreator { name } } acl { roleId view } state { current } } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.imageSource.id).toBe(id);
    expect(res.extensions!.upstream!.calls).toBe(1);
    expect(cycleQueries()[0]!.getAll('include')).toEqual(['creators']);
    // Its kind alone comes from the source's own creator reference.
    gw.sandbox.resetRequests();
    const kindOnly = await gw.gql(`query($id: ID!) { imageSource(id: $id) { creator { __typename } } }`, { id });
    expect(kindOnly.data!.imageSource.creator.__typename).toBe(res.data!.imageSource.creator.__typename);
    expect(kindOnly.extensions!.upstream!.calls).toBe(1);
    expect(cycleQueries()[0]!.has('include')).toBe(false);
  });

  it("loads the image's source once per distinct source when it needs a meta Cycle does not include", async () => {
    const res = await gw.gql(`{ images(first: 20) { nodes { source { id imagesCount { total } } } } }`);
    expect(res.errors).toBeUndefined();
    const distinct = new Set(res.data!.images.nodes.map((n: any) => n.source.id));
    expect(res.extensions!.upstream!.calls).toBe(1 + distinct.size);
  });
});

describe('image config', () => {
  it("gives each image's config as Cycle sends it: maps as key-value lists, unset lists empty, volumes without gaps", async () => {
    const res =
      await gw.gql(`{ images(first: 20) { nodes { id config { user ports { host container type } env { key value } labels { key value }
      command entrypoint volumes { path mode } workdir signalStop } } } }`);
    expect(res.errors).toBeUndefined();
    const wire = await fetch(`${gw.sandbox.cycle.url}/v1/images?page[number]=1&page[size]=20`, {
      headers: { authorization: `Bearer ${DEMO_TENANT.cycle.apiKey}`, 'x-hub-id': DEMO_TENANT.cycle.hubId },
    });
    const { data } = (await wire.json()) as { data: { id: string; config: Record<string, any> }[] };
    const keyValues = (map: Record<string, string> | null | undefined) =>
      Object.entries(map ?? {}).map(([key, value]) => ({ key, value }));
    const expected = data.map(({ id, config }) => ({
      id,
      config: {
        user: config.user,
        ports: config.ports ?? [],
        env: keyValues(config.env),
        labels: keyValues(config.labels),
        command: config.command ?? [],
        entrypoint: config.entrypoint ?? [],
        volumes: (config.volumes ?? []).map((v: { path?: string; mode?: string }) => ({
          path: v.path ?? null,
          mode: v.mode ?? null,
        })),
        workdir: config.workdir,
        signalStop: config.signal_stop,
      },
    }));
    expect(res.data!.images.nodes).toEqual(expected);
    // The page has configs with env, labels, ports and volumes to compare.
    expect(
      expected.some(
        (node) => node.config.env.length > 0 && node.config.labels.length > 0 && node.config.ports.length > 0,
      ),
    ).toBe(true);
  });
});

describe('jobs', () => {
  it('lists jobs, reads one by id, and lists the latest', async () => {
    const res = await gw.gql(
      `{ cycleJobs(first: 5) { nodes { id operation state upstreamState done creator { __typename } tasks { header } } } latestCycleJobs { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cycleJobs.nodes.length).toBeGreaterThan(0);
    // Only the creators' kinds are selected: the jobs' own creator references answer them.
    const jobList = gw.sandbox.cycle.requests().find((r) => r.path === '/v1/jobs')!;
    expect(new URLSearchParams(jobList.query).has('include')).toBe(false);
    const id = res.data!.cycleJobs.nodes[0].id;
    const one = await gw.gql(`query($id: ID!) { job(id: $id) { __typename id platform state } }`, { id });
    expect(one.data!.job).toMatchObject({ __typename: 'CycleJob', id, platform: 'CYCLE' });
    expect(res.data!.latestCycleJobs.length).toBeGreaterThan(0);
  });
});

describe('upstream trace', () => {
  it('lists paths without query strings or headers', async () => {
    const res = await gw.gql(`{ images(first: 2, filter: { search: "x" }) { nodes { id } } }`);
    const [request] = res.extensions!.upstream!.requests;
    expect(request).toMatchObject({ upstream: 'cycle', method: 'GET', path: '/v1/images', status: 200 });
    expect(JSON.stringify(res.extensions)).not.toContain('?');
    expect(JSON.stringify(res.extensions)).not.toMatch(/sandbox-cycle-key|authorization/i);
  });
});
