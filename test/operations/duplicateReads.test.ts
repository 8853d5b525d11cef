/**
 * No upstream read twice in one operation: the same read reached through different paths of the selection goes out
 * once (the per-request loaders key list reads by the request they make, loaders/readOnce.ts).
 */
import { expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';

// Sharing of reads in flight (coalescing.ts) off: it would merge these concurrent reads too, and hide whether the
// operation itself asks twice.
const gw = useTestGateway({ env: { UPSTREAM_COALESCE_WAITERS: '0' } });

/** Requests that match `<upstream> <METHOD> <path>`, `*` standing for one path segment. */
const count = (requests: string[], declared: string) => {
  const pattern = new RegExp(`^${declared.split('*').join('[^/]+')}$`);
  return requests.filter((request) => pattern.test(request)).length;
};

it('reads one app’s packages once when several of its packages select app { packages }', async () => {
  gw.expectUpstream('cf GET /v3/packages', 'cf GET /v3/apps', 'cf GET /v3/apps/*/packages');
  const res = await gw.gql(`{
    packages(first: 50) { nodes { guid app { guid packages(first: 5) { nodes { guid } } } } }
  }`);
  expect(res.errors).toBeUndefined();
  const nodes = res.data!.packages.nodes as { guid: string; app: { guid: string; packages: unknown } | null }[];
  const apps = new Map<string, unknown>();
  for (const node of nodes) if (node.app) apps.set(node.app.guid, node.app.packages);
  // The seed has apps with several packages: without sharing, each of those would be read once per package.
  expect(nodes.filter((node) => node.app).length).toBeGreaterThan(apps.size);
  const requests = gw.upstreamRequests();
  expect(count(requests, 'cf GET /v3/apps/*/packages')).toBe(apps.size);
  expect(count(requests, 'cf GET /v3/packages')).toBe(1);
  // Every path got the whole answer.
  for (const node of nodes) if (node.app) expect(node.app.packages).toEqual(apps.get(node.app.guid));
});

it('reads a list again when the same operation asks for a different page of it', async () => {
  gw.expectUpstream('cf GET /v3/apps', 'cf GET /v3/apps/*/packages');
  const res = await gw.gql(`{
    apps(first: 1) { nodes { guid one: packages(first: 1) { nodes { guid } } two: packages(first: 2) { nodes { guid } } again: packages(first: 1) { nodes { guid } } } }
  }`);
  expect(res.errors).toBeUndefined();
  const app = res.data!.apps.nodes[0];
  expect(app.again).toEqual(app.one);
  expect(count(gw.upstreamRequests(), 'cf GET /v3/apps/*/packages')).toBe(2);
});

it('reads again after a write: each root mutation field sees what the ones before it wrote', async () => {
  gw.expectUpstream('cf GET /v3/apps', 'cf POST /v3/packages', 'cf GET /v3/apps/*/packages');
  const apps = await gw.gql(`{ apps(first: 100) { nodes { guid lifecycle { type } } } }`);
  const app = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'buildpack').guid as string;
  const created = `createPackage(input: { appGuid: $app, type: BITS }) { app { packages(first: 100) { totalCount } } }`;
  const res = await gw.gql(`mutation($app: ID!) { first: ${created} second: ${created} }`, { app });
  expect(res.errors).toBeUndefined();
  const first = res.data!.first.app.packages.totalCount as number;
  expect(res.data!.second.app.packages.totalCount).toBe(first + 1);
});
