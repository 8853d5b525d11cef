/**
 * `hasNextPage` on a full last page (issue 24): a window that ends exactly where the list ends says no page follows,
 * on every upstream, with one upstream call. Cycle says a list ended only with a short page, so the gateway reads the
 * item after the window in the same call (cycle/paging.ts); CF and Docker Cloud report their totals.
 */
import { expect, it } from 'vitest';
import { encodeOffsetCursor } from '../../src/upstreams/shared/page.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ strictUpstream: true });

const FIRST = 20;

async function cycleImageCount(): Promise<number> {
  let after: string | null = null;
  let count = 0;
  for (let page = 0; page < 50; page++) {
    const res: any = await gw.gql(
      `query($after: String) { images(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    count += res.data.images.nodes.length;
    if (!res.data.images.pageInfo.hasNextPage) return count;
    after = res.data.images.pageInfo.endCursor;
  }
  throw new Error('more than 50 pages of images');
}

/** The window `[from, from + first)` of `field`, its hasNextPage and the upstream calls it made. */
async function window(field: string, node: string, from: number, first = FIRST) {
  gw.sandbox.resetRequests();
  const after = from === 0 ? null : encodeOffsetCursor(from - 1);
  const res: any = await gw.gql(
    `query($after: String) { ${field}(first: ${first}, after: $after) { nodes { ${node} } pageInfo { hasNextPage } } }`,
    { after },
  );
  expect(res.errors).toBeUndefined();
  return {
    nodes: res.data[field].nodes.length as number,
    hasNextPage: res.data[field].pageInfo.hasNextPage as boolean,
    calls: gw.upstreamRequests().length,
  };
}

it('Cycle: a full last page says no page follows, in one call per page', async () => {
  gw.expectUpstream('cycle GET /v1/images');
  const total = await cycleImageCount();
  expect(total).toBeGreaterThan(FIRST + 1);
  // Pages of a size that divides the total, followed by endCursor: the last one is full and aligned.
  const size = [20, 25, 10, 30, 24, 16, 12, 15, 8, 6, 5, 4, 3, 2].find((k) => total % k === 0)!;
  expect(await window('images', 'id', total - size, size)).toEqual({ nodes: size, hasNextPage: false, calls: 1 });
  expect(await window('images', 'id', total - 2 * size, size)).toEqual({ nodes: size, hasNextPage: true, calls: 1 });
  // Unaligned windows too, in one call (two pages of size first before the look-ahead).
  expect(await window('images', 'id', total - FIRST)).toEqual({ nodes: FIRST, hasNextPage: false, calls: 1 });
  expect(await window('images', 'id', total - FIRST - 1)).toEqual({ nodes: FIRST, hasNextPage: true, calls: 1 });
  expect(await window('images', 'id', 0)).toEqual({ nodes: FIRST, hasNextPage: true, calls: 1 });
});

it('Cloud Foundry: a full last page says no page follows (total_results)', async () => {
  gw.expectUpstream('cf GET /v3/packages');
  const total = (await gw.gql(`{ packages(first: 1) { totalCount } }`)).data!.packages.totalCount as number;
  expect(total).toBeGreaterThan(FIRST + 1);
  expect(await window('packages', 'guid', total - FIRST)).toMatchObject({ nodes: FIRST, hasNextPage: false });
  expect(await window('packages', 'guid', total - FIRST - 1)).toMatchObject({ nodes: FIRST, hasNextPage: true });
});

it('Docker Cloud: a full last page says no page follows (meta.total_count), in one call', async () => {
  gw.expectUpstream('dockercloud GET /api/repo/v1/repository/');
  const total = (await gw.gql(`{ repositories(first: 1) { totalCount } }`)).data!.repositories.totalCount as number;
  expect(total).toBeGreaterThan(FIRST + 1);
  expect(await window('repositories', 'name', total - FIRST)).toEqual({ nodes: FIRST, hasNextPage: false, calls: 1 });
  expect(await window('repositories', 'name', total - FIRST - 1)).toEqual({
    nodes: FIRST,
    hasNextPage: true,
    calls: 1,
  });
});
