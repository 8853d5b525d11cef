/**
 * Prune you can trust, against the sandbox over loopback: a dry run lists exactly the images a prune removes (no
 * container uses them) and those it keeps, with their containers counts, and sends no prune; the real prune then
 * removes exactly the listed ones and leaves the images in use in place. Deleting an image in use needs `force`.
 */
import { describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ sandbox: { jobDurationMs: 40 } });

const cycleWrites = () =>
  gw.sandbox.cycle
    .requests()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);

interface SourceImages {
  id: string;
  images: { nodes: { id: string; containersCount: { total: number } | null }[] };
}

/** A seeded source with images both in use and unused. */
async function mixedSource(): Promise<SourceImages> {
  const res = await gw.gql(
    `{ imageSources(first: 40) { nodes { id images(first: 60) { nodes { id containersCount { total } } } } } }`,
  );
  expect(res.errors).toBeUndefined();
  const sources = res.data!.imageSources.nodes as SourceImages[];
  const mixed = sources.find((s) => {
    const totals = s.images.nodes.map((i) => i.containersCount?.total ?? 0);
    return totals.some((t) => t > 0) && totals.filter((t) => t === 0).length >= 2;
  });
  expect(mixed, 'the seed has a source with used and unused images').toBeDefined();
  return mixed!;
}

const PRUNE = `mutation($s: [ID!]!, $dry: Boolean) {
  pruneImages(sourceIds: $s, dryRun: $dry, awaitMs: 5000) {
    dryRun
    pruned { id containersCount { total } }
    spared { id containersCount { total } }
    job { operation state }
  }
}`;

const ids = (images: { id: string }[]) => images.map((i) => i.id).sort();

describe('pruneImages', () => {
  it('lists on a dry run exactly what the real prune removes, and the prune leaves images in use in place', async () => {
    const source = await mixedSource();
    const unused = source.images.nodes.filter((i) => i.containersCount!.total === 0);
    const inUse = source.images.nodes.filter((i) => i.containersCount!.total > 0);
    gw.sandbox.resetRequests();

    const dry = await gw.gql(PRUNE, { s: [source.id], dry: true });
    expect(dry.errors).toBeUndefined();
    const plan = dry.data!.pruneImages;
    expect(plan.dryRun).toBe(true);
    expect(plan.job).toBeNull();
    expect(ids(plan.pruned)).toEqual(ids(unused));
    expect(plan.pruned.every((i: any) => i.containersCount.total === 0)).toBe(true);
    expect(ids(plan.spared)).toEqual(ids(inUse));
    expect(plan.spared.every((i: any) => i.containersCount.total > 0)).toBe(true);
    expect(cycleWrites()).toEqual([]);
    // One list call for the source, containers counts included (no call per image).
    const reads = gw.sandbox.cycle.requests();
    expect(reads.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/images']);
    expect(Object.fromEntries(new URLSearchParams(reads[0]!.query))).toMatchObject({
      'filter[source_id]': source.id,
      meta: 'containers_count',
    });
    const stillThere = await gw.gql(`query($s: ID!) { imageSource(id: $s) { imagesCount { total } } }`, {
      s: source.id,
    });
    expect(stillThere.data!.imageSource.imagesCount.total).toBe(source.images.nodes.length);

    const real = await gw.gql(PRUNE, { s: [source.id] });
    expect(real.errors).toBeUndefined();
    expect(real.data!.pruneImages).toMatchObject({ dryRun: false, job: { state: 'SUCCEEDED' } });
    expect(ids(real.data!.pruneImages.pruned)).toEqual(ids(unused));
    expect(cycleWrites()).toEqual(['POST /v1/images/tasks']);

    const after = await gw.gql(
      `query($s: ID!) { imageSource(id: $s) { images(first: 100) { nodes { id containersCount { total } } } } }`,
      { s: source.id },
    );
    const left = after.data!.imageSource.images.nodes;
    expect(ids(left)).toEqual(ids(inUse));
    expect(left.every((i: any) => i.containersCount.total > 0)).toBe(true);
  });

  it('refuses source ids no request can carry before any request', async () => {
    const res = await gw.gql(PRUNE, { s: ['..'], dry: true });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
  });
});

describe('deleteImage', () => {
  it('refuses an image containers use unless force is set, before any delete request', async () => {
    const source = await mixedSource();
    const used = source.images.nodes.find((i) => i.containersCount!.total > 0)!;
    gw.sandbox.resetRequests();
    const refused = await gw.gql(`mutation($id: ID!) { deleteImage(id: $id) { id } }`, { id: used.id });
    expect(refused.data!.deleteImage).toBeNull();
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.extensions).toMatchObject({
      reason: 'IMAGE_IN_USE',
      argument: 'force',
      containers: used.containersCount!.total,
    });
    expect(refused.errors![0]!.message).toContain(`used by ${used.containersCount!.total} container`);
    expect(cycleWrites()).toEqual([]);

    const forced = await gw.gql(`mutation($id: ID!) { deleteImage(id: $id, force: true, awaitMs: 5000) { state } }`, {
      id: used.id,
    });
    expect(forced.errors).toBeUndefined();
    expect(forced.data!.deleteImage.state).toBe('SUCCEEDED');
    expect(cycleWrites()).toEqual([`DELETE /v1/images/${used.id}`]);
  });

  it('deletes an unused image without force', async () => {
    const source = await mixedSource();
    const unused = source.images.nodes.find((i) => i.containersCount!.total === 0)!;
    const res = await gw.gql(`mutation($id: ID!) { deleteImage(id: $id) { operation } }`, { id: unused.id });
    expect(res.errors).toBeUndefined();
    expect(cycleWrites()).toEqual([`DELETE /v1/images/${unused.id}`]);
  });
});
