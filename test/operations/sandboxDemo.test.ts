/**
 * The live demo can be watched: `npm start`'s embedded sandbox (here its sources, in a process of their own, with no
 * setting) takes long enough over an import that polling its image shows it move through several states, as the
 * GraphiQL WatchImage example promises; and SANDBOX_JOB_DURATION_MS reaches that sandbox.
 */
import { afterEach, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';

const IMPORT = `mutation {
  createImage(input: { sourceId: "65d75c47473a124756e1471f", name: "watched import", import: true }) { image { id } }
}`;
const STATE = `query($id: ID!) { image(id: $id) { state { current } } }`;

let gateway: GatewayProcess | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** The states an import passes through, polled every 250 ms until it is LIVE (at most `limitMs`). */
async function watchImport(url: string, limitMs: number): Promise<string[]> {
  const id = (await gql(url, IMPORT)).createImage.image.id as string;
  const states: string[] = [];
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const current = (await gql(url, STATE, { id })).image.state.current as string;
    if (states.at(-1) !== current) states.push(current);
    if (current === 'LIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return states;
}

it('by default an import shows several states before it is LIVE', async () => {
  gateway = await startGatewayProcess({});
  const states = await watchImport(gateway.url, 30_000);
  expect(states.at(-1)).toBe('LIVE');
  expect(states.length).toBeGreaterThanOrEqual(3);
}, 60_000);

it('SANDBOX_JOB_DURATION_MS reaches the embedded sandbox', async () => {
  gateway = await startGatewayProcess({ SANDBOX_JOB_DURATION_MS: '600000' });
  const states = await watchImport(gateway.url, 3_000);
  expect(states.length).toBeGreaterThan(0);
  expect(states).not.toContain('LIVE');
}, 60_000);
