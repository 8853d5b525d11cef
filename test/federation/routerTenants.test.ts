// Two tenants through each router, with imagegraph as a production deployment would run behind one: service
// credentials configured (the sandbox's demo tenant, CYCLE/CF/DOCKER_CLOUD_CREDENTIALS left at `either`) and
// GATEWAY_TOKENS set. The routers are configured exactly as docs/federation.md shows (docs/examples/), with a second
// subgraph in the supergraph. Tenant B subscribes, through the router, to tenant A's import: it must receive nothing
// of A's. A caller without credentials must get no service-account data through a router, while a direct caller
// without credentials keeps the service fallback (the standalone behaviour).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from '../../src/sandbox/index.js';
import { postGraphQL, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sseClient, watch, type Watched } from '../helpers/subscriptions.js';
import { DEPLOYMENTS_SDL, startDeploymentsSubgraph, type RunningSubgraph } from './deploymentsSubgraph.js';
import {
  composeSupergraph,
  ROUTER_GATEWAY_TOKEN,
  startHiveGateway,
  type Router,
  type SubgraphSource,
} from './routers.js';
import { startGrafbaseGateway } from './grafbase.js';

const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
function credentialsOf(tenant: SandboxTenant): Record<string, string> {
  return {
    'x-cycle-authorization': tenant.cycle.apiKey,
    'x-cycle-hub-id': tenant.cycle.hubId,
    'x-cf-authorization': tenant.cf.token,
    'x-dockercloud-authorization': basic(tenant.dockercloud.username, tenant.dockercloud.apiKey),
  };
}
const TENANT_A = credentialsOf(DEMO_TENANT);
const TENANT_B = credentialsOf(SECOND_TENANT);
const DIRECT = { authorization: `Bearer ${ROUTER_GATEWAY_TOKEN}` };
const WATCH = `subscription($id: ID!) { imageState(id: $id) { id name state { current } } }`;

let gw: TestGateway;
let deployments: RunningSubgraph;
let supergraphSdl: string;
let subgraphs: SubgraphSource[];

beforeAll(async () => {
  gw = await startTestGateway({
    sandbox: { secondTenant: true, jobDurationMs: 1_500 },
    // A production deployment's default (the sandbox's demo credentials default to `allowed`).
    env: { GATEWAY_TOKENS: ROUTER_GATEWAY_TOKEN, ROUTER_SERVICE_CREDENTIALS: 'refused' },
  });
  deployments = await startDeploymentsSubgraph([]);
  const ours = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, DIRECT);
  subgraphs = [
    { name: 'imagegraph', sdl: ours.data!._service.sdl, url: `${gw.url}/graphql` },
    { name: 'deployments', sdl: DEPLOYMENTS_SDL, url: deployments.url },
  ];
  supergraphSdl = composeSupergraph(subgraphs);
}, 60_000);
afterAll(async () => {
  await deployments?.close();
  await gw?.close();
});

/** Tenant A's new image (from one of A's live sources), not yet imported. */
async function newImageOfTenantA(): Promise<string> {
  const sources = await gw.gql(
    `{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`,
    {},
    { ...DIRECT, ...TENANT_A },
  );
  const sourceId = sources.data!.imageSources.nodes.find(
    (n: any) => n.origin.__typename === 'DockerHubOrigin' && n.state.current === 'LIVE',
  ).id;
  const created = await gw.gql(
    `mutation($s: ID!) { createImage(input: { sourceId: $s, name: "tenant A's secret import" }) { image { id } } }`,
    { s: sourceId },
    { ...DIRECT, ...TENANT_A },
  );
  return created.data!.createImage.image.id;
}

const settle = (w: Watched) => w.ended.catch((error: unknown) => ({ error }));

describe.each([
  ['hive-gateway', () => startHiveGateway(supergraphSdl, 'js')],
  ['hive-gateway-rust', () => startHiveGateway(supergraphSdl, 'rust')],
  ['grafbase-gateway', () => startGrafbaseGateway(subgraphs)],
] as const)('through %s, with the documented configuration', (name, start) => {
  let router: Router;
  beforeAll(async () => {
    router = await start();
  }, 60_000);
  afterAll(() => router?.close());
  const base = () => router.url.replace(/\/graphql$/, '');

  it('tenant B and an anonymous caller receive nothing of tenant A’s import; A follows it to LIVE', async () => {
    const id = await newImageOfTenantA();
    const clients = [TENANT_A, TENANT_B, {}].map((headers) => sseClient(base(), headers));
    const [a, b, anonymous] = clients.map((client) => watch(client, WATCH, { id }));
    // Each gets its first event (B's and the anonymous caller's: an error) before A's import starts.
    await Promise.all([a!.first, b!.first, anonymous!.first]);
    await gw.gql(`mutation($id: ID!) { importImage(id: $id) { id } }`, { id }, { ...DIRECT, ...TENANT_A });
    await settle(a!);
    const states = a!.events.map((e) => e.data?.imageState?.state.current);
    expect(states[0]).toBe('NEW');
    expect(states.at(-1)).toBe('LIVE');
    // Nothing of A's: no data event, and nothing that names the image.
    for (const other of [b!, anonymous!]) {
      expect(other.events.every((e) => (e.data?.imageState ?? null) === null)).toBe(true);
      expect(JSON.stringify(other.events)).not.toContain("tenant A's secret import");
    }
    const bCodes = b!.events.flatMap((e) => (e.errors ?? []).map((x) => x.extensions?.code));
    const anonymousCodes = anonymous!.events.flatMap((e) => (e.errors ?? []).map((x) => x.extensions?.code));
    console.log(
      `${name}: A saw ${states.join(' → ')}; B received ${JSON.stringify(b!.events)}; anonymous received ${JSON.stringify(anonymous!.events)}`,
    );
    expect(bCodes.length + anonymousCodes.length).toBeGreaterThan(0);
    [b!, anonymous!].forEach((other) => other.stop());
    clients.forEach((client) => client.dispose());
  }, 30_000);

  it('answers each tenant with its own data, and a caller without credentials with none', async () => {
    const query = `{ packages(first: 1) { totalCount } }`;
    const viaRouter = (headers: Record<string, string>) => postGraphQL<any>(router.url, query, {}, headers);
    const [a, b, anonymous] = await Promise.all([viaRouter(TENANT_A), viaRouter(TENANT_B), viaRouter({})]);
    expect(a.data!.packages.totalCount).toBe(72);
    expect(b.data!.packages.totalCount).toBe(16);
    expect(anonymous.data?.packages ?? null).toBeNull();
    expect(JSON.stringify(anonymous)).toContain('ROUTER_CREDENTIALS_MISSING');
    // A direct caller (no router) without credentials is still answered with the service credentials.
    const direct = await gw.gql(query, {}, DIRECT);
    expect(direct.data!.packages.totalCount).toBe(72);
  });
});
