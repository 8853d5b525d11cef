// Issue 24: a router deployed without imagegraph's gateway token. imagegraph runs with GATEWAY_TOKENS set; Hive
// Gateway runs with the documented options (docs/examples/hiveGateway.ts) given no token (its variable unset: `''`)
// or a wrong one. A client subscribing through it must get an error saying why (UNAUTHENTICATED), not a hang, and
// imagegraph must log the refusal (`subscription refused`, reason `unauthenticated`) of that subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sseClient, watch } from '../helpers/subscriptions.js';
import { composeSupergraph, ROUTER_GATEWAY_TOKEN, startHiveGateway, type Router } from './routers.js';

/** How long the client may wait for its answer: a liveness bound, not a speed claim. */
const ANSWER_BOUND_MS = 5_000;
const DIRECT = { authorization: `Bearer ${ROUTER_GATEWAY_TOKEN}` };

let gw: TestGateway;
let supergraphSdl: string;

beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { jobDurationMs: 1_500 }, env: { GATEWAY_TOKENS: ROUTER_GATEWAY_TOKEN } });
  const ours = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, DIRECT);
  supergraphSdl = composeSupergraph([{ name: 'imagegraph', sdl: ours.data!._service.sdl, url: `${gw.url}/graphql` }]);
}, 60_000);
afterAll(() => gw?.close());

describe.each([
  ['js', 'no token', ''],
  ['js', 'a wrong token', 'not-one-of-imagegraphs-gateway-tokens'],
  ['rust', 'no token', ''],
] as const)('Hive Gateway (%s query planner) configured with %s', (planner, _case, token) => {
  let router: Router;
  beforeAll(async () => {
    router = await startHiveGateway(supergraphSdl, planner, token);
  }, 60_000);
  afterAll(() => router?.close());

  it('answers a subscribing client with an error within the bound, and imagegraph logs the refusal', async () => {
    const images = await gw.gql(`{ images(first: 1) { nodes { id } } }`, {}, DIRECT);
    const id: string = images.data!.images.nodes[0].id;
    const refusalsBefore = gw.logLines.filter((l) => l.msg === 'subscription refused').length;
    const client = sseClient(router.url.replace(/\/graphql$/, ''));
    const started = performance.now();
    const watched = watch(client, `subscription($id: ID!) { imageState(id: $id) { id state { current } } }`, { id });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      watched.ended.then(
        () => 'completed' as const,
        (error: unknown) => ({ failed: error }),
      ),
      new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ANSWER_BOUND_MS))),
    ]);
    clearTimeout(timer);
    const elapsedMs = Math.round(performance.now() - started);
    watched.stop();
    client.dispose();
    const refusals = gw.logLines.filter((l) => l.msg === 'subscription refused').slice(refusalsBefore);
    console.log(
      `router (${planner} planner) with ${_case}: client saw ${JSON.stringify(watched.events)} then ${JSON.stringify(outcome, errorJson)} ` +
        `after ${elapsedMs} ms; imagegraph logged ${JSON.stringify(refusals)}`,
    );
    expect(outcome).toBe('completed');
    // One event: imagegraph's UNAUTHENTICATED, saying what the router lacks, relayed by the router as it was sent.
    // (The Rust query planner leaves out `data: null`.)
    expect(watched.events.map(({ data, ...event }) => ({ data: data ?? null, ...event }))).toEqual([
      {
        data: null,
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(/^Unauthenticated: the router sent no valid imagegraph gateway token/),
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
          }),
        ],
      },
    ]);
    expect(refusals).toEqual([
      expect.objectContaining({ level: 'info', transport: 'websocket', reason: 'unauthenticated' }),
    ]);
  }, 20_000);
});

/** Errors as JSON (their message), for the printed figures. */
function errorJson(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
