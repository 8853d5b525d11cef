// A subscription through a federation router: Hive Gateway serves a supergraph composed from our subgraph SDL, takes
// the client's subscription over SSE, and runs it on our subgraph over WebSocket (graphql-ws), the way Hive Gateway
// runs subgraph subscriptions. The client watches an import from NEW to LIVE through the router.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sseClient, watch } from '../helpers/subscriptions.js';

let gw: TestGateway;
/** What this test uses of Hive Gateway's runtime: a node:http request listener that can be disposed. */
type GatewayRuntime = ((req: IncomingMessage, res: ServerResponse) => void) & { dispose(): Promise<void> };
interface HiveGateway {
  createGatewayRuntime(options: Record<string, unknown>): GatewayRuntime;
}
let runtime: GatewayRuntime;

// Loaded by a computed name so that its type declarations stay out of the typecheck: they pull in the DOM lib
// (@whatwg-node/fetch), whose Blob types would break the Node-typed tests around it. Loaded before any request, as
// a static import would be.
const hivePackage = '@graphql-hive/gateway';
const { createGatewayRuntime } = (await import(hivePackage)) as HiveGateway;
let router: Server;
let routerUrl: string;

beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { jobDurationMs: 2_500 } });
  const ourSdl = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const composed = composeServices([
    { name: 'imagegraph', typeDefs: parse(ourSdl.data!._service.sdl), url: `${gw.url}/graphql` },
  ]);
  expect(composed.errors ?? []).toEqual([]);
  runtime = createGatewayRuntime({
    supergraph: composed.supergraphSdl!,
    transportEntries: { imagegraph: { options: { subscriptions: { kind: 'ws', location: '/graphql' } } } },
    logging: false,
  });
  router = createServer(runtime);
  await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
  routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  router?.closeAllConnections();
  await new Promise((resolve) => router?.close(resolve));
  await runtime?.dispose();
  await gw?.close();
});

it('watches an import from NEW to LIVE through Hive Gateway (client SSE, subgraph WebSocket)', async () => {
  const sources = await gw.gql(`{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`);
  const sourceId = sources.data!.imageSources.nodes.find(
    (n: any) => n.origin.__typename === 'DockerHubOrigin' && n.state.current === 'LIVE',
  ).id;
  const created = await gw.gql(`mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`, {
    s: sourceId,
  });
  const id: string = created.data!.createImage.image.id;
  const client = sseClient(routerUrl);
  const image = watch(client, `subscription($id: ID!) { imageState(id: $id) { id state { current } } }`, { id });
  await image.first;
  await gw.gql(`mutation($id: ID!) { importImage(id: $id) { id } }`, { id });
  await image.ended;
  const states = image.events.map((e) => e.data?.imageState?.state.current);
  expect(states[0]).toBe('NEW');
  expect(states.at(-1)).toBe('LIVE');
  // The subgraph side ran over WebSocket: our log line says so.
  expect(gw.logLines.some((l) => l.msg === 'graphql subscription' && l.transport === 'websocket')).toBe(true);
  console.log(`Through Hive Gateway: ${states.join(' → ')}`);
  client.dispose();
});
