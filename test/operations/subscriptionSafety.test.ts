/**
 * Issues 23, 25, 27: SSE stream reservations belong to the caller who made them and are bounded; every transport
 * refuses the same bad input with the same code; subscriptions send changes only.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient as createSseClient } from 'graphql-sse';
import { SECOND_TENANT } from '../../src/sandbox/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';
import { sseClient, watch, wsClient, type Watched } from '../helpers/subscriptions.js';

const TOKEN_A = 'subscription-safety-token-a-0123456789';
const TOKEN_B = 'subscription-safety-token-b-0123456789';
const A = { authorization: `Bearer ${TOKEN_A}` };
const B = {
  authorization: `Bearer ${TOKEN_B}`,
  'x-cycle-authorization': SECOND_TENANT.cycle.apiKey,
  'x-cycle-hub-id': SECOND_TENANT.cycle.hubId,
};
/** Caller A's gateway token with other upstream credentials: another caller too. */
const A_OTHER_UPSTREAM = {
  ...A,
  'x-cycle-authorization': B['x-cycle-authorization'],
  'x-cycle-hub-id': B['x-cycle-hub-id'],
};
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const JOB_STATE = `subscription($id: ID!) { job(id: $id) { id state done } }`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    sandbox: { jobDurationMs: 2_500, secondTenant: true },
    env: {
      GATEWAY_TOKENS: `${TOKEN_A},${TOKEN_B}`,
      SSE_RESERVATIONS_PER_CALLER: '3',
      SSE_RESERVATION_TTL_MS: '1000',
    },
  });
});
afterAll(() => gw.close());

async function startImport(): Promise<string> {
  const sources = await gw.gql(
    `{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`,
    {},
    A,
  );
  const source = sources.data!.imageSources.nodes.find(
    (n: any) => n.origin.__typename === 'DockerHubOrigin' && n.state.current === 'LIVE',
  );
  const created = await gw.gql(
    `mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`,
    { s: source.id },
    A,
  );
  const imageId = created.data!.createImage.image.id;
  const started = await gw.gql(`mutation($id: ID!) { importImage(id: $id) { id } }`, { id: imageId }, A);
  return started.data!.importImage.id;
}

const reserve = (headers: Record<string, string>) =>
  fetch(`${gw.url}/graphql`, { method: 'PUT', headers: { accept: 'text/plain', ...headers } });

async function refusalCounted(reason: string): Promise<number> {
  return (await scrape(`${gw.url}/metrics`, A)).sum('imagegraph_subscriptions_refused_total', {
    transport: 'sse',
    reason,
  });
}

describe('reserved SSE streams', () => {
  it('gives a random UUID token and refuses another caller’s GET, POST and DELETE with it', async () => {
    const reserved = await reserve(A);
    expect(reserved.status).toBe(201);
    const token = await reserved.text();
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // A opens its stream and runs a job's subscription on it.
    const stream = await fetch(`${gw.url}/graphql`, {
      headers: { accept: 'text/event-stream', [TOKEN_HEADER]: token, ...A },
    });
    expect(stream.status).toBe(200);
    const jobId = await startImport();
    const post = (headers: Record<string, string>) =>
      fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', [TOKEN_HEADER]: token, ...headers },
        body: JSON.stringify({ query: JOB_STATE, variables: { id: jobId }, extensions: { operationId: 'op1' } }),
      });
    expect((await post(A)).status).toBe(202);

    for (const other of [B, A_OTHER_UPSTREAM]) {
      const opened = await fetch(`${gw.url}/graphql`, {
        headers: { accept: 'text/event-stream', [TOKEN_HEADER]: token, ...other },
      });
      const posted = await post(other);
      const deleted = await fetch(`${gw.url}/graphql?operationId=op1`, {
        method: 'DELETE',
        headers: { [TOKEN_HEADER]: token, ...other },
      });
      for (const answer of [opened, posted, deleted]) {
        expect(answer.status).toBe(403);
        expect(await answer.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
      }
    }
    expect(await refusalCounted('stream_forbidden')).toBe(6);
    expect(gw.logLines.filter((l) => l.msg === 'subscription refused' && l.reason === 'stream_forbidden')).toHaveLength(
      6,
    );

    // A's operation was not stopped by the other callers' DELETE: it runs to the job's end on A's stream.
    const reader = stream.body!.getReader();
    let text = '';
    while (!/event: complete/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain(`"id":"${jobId}"`);
    expect(text).toMatch(/"state":"SUCCEEDED","done":true/);
    await reader.cancel();
  });

  it('bounds reservations per caller and drops unopened ones after the TTL', async () => {
    const before = await refusalCounted('too_many_reservations');
    const held: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await reserve(B);
      expect(answer.status).toBe(201);
      held.push(await answer.text());
    }
    const refused = await reserve(B);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }] });
    expect(await refusalCounted('too_many_reservations')).toBe(before + 1);
    // Another caller's allowance is its own.
    expect((await reserve(A)).status).toBe(201);

    // Unopened, they expire: the caller may reserve again, and an expired token opens nothing.
    await vi.waitFor(async () => expect((await reserve(B)).status).toBe(201), { timeout: 5_000, interval: 250 });
    const expired = await fetch(`${gw.url}/graphql`, {
      headers: { accept: 'text/event-stream', [TOKEN_HEADER]: held[0]!, ...B },
    });
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ errors: [{ extensions: { code: 'STREAM_NOT_FOUND' } }] });
  });

  it('serves graphql-sse’s own client in single connection mode', async () => {
    // A copy: graphql-sse's client adds its stream token to the headers object it is given.
    const client = createSseClient({
      url: `${gw.url}/graphql`,
      headers: { ...A },
      singleConnection: true,
      retryAttempts: 0,
    });
    const job = watch(client, JOB_STATE, { id: await startImport() });
    await job.ended;
    expect(job.events.at(-1)!.data!.job).toMatchObject({ state: 'SUCCEEDED', done: true });
    client.dispose();
  });
});

/** Deeper than MAX_QUERY_DEPTH's default (15): image → source → images → nodes, five times. */
const DEEP = `${'{ source { images { nodes '.repeat(5)}{ id }${' } } }'.repeat(5)}`;

/** One bad input: the query over HTTP and the same selection as a subscription, with the code all transports give. */
const BAD_INPUTS: {
  name: string;
  query: string;
  subscription: string;
  variables: Record<string, unknown>;
  code: string;
}[] = [
  {
    name: 'a missing required variable',
    query: `query($id: ID!) { job(id: $id) { id } }`,
    subscription: `subscription($id: ID!) { job(id: $id) { id } }`,
    variables: {},
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable of the wrong type',
    query: `query($id: ID!) { job(id: $id) { id } }`,
    subscription: `subscription($id: ID!) { job(id: $id) { id } }`,
    variables: { id: { not: 'an id' } },
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown field',
    query: `{ job(id: "0123456789abcdef01234567") { nope } }`,
    subscription: `subscription { job(id: "0123456789abcdef01234567") { nope } }`,
    variables: {},
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a document too deep',
    query: `{ image(id: "0123456789abcdef01234567") ${DEEP} }`,
    subscription: `subscription { imageState(id: "0123456789abcdef01234567") ${DEEP} }`,
    variables: {},
    code: 'QUERY_TOO_DEEP',
  },
  {
    name: 'too many aliases',
    query: `{ job(id: "0123456789abcdef01234567") { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ')} } }`,
    subscription: `subscription { job(id: "0123456789abcdef01234567") { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ')} } }`,
    variables: {},
    code: 'TOO_MANY_ALIASES',
  },
];

/** The codes a subscription was refused or answered with, whichever way the transport reports them. */
async function subscriptionCodes(w: Watched): Promise<unknown[]> {
  try {
    await w.ended;
  } catch (errors) {
    return (errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
  }
  return w.events.flatMap((e) => (e.errors ?? []).map((x) => x.extensions?.code));
}

describe('the same bad input, the same answer on every transport', () => {
  it.each(BAD_INPUTS)('$name: $code over HTTP, WebSocket and SSE', async ({ query, subscription, variables, code }) => {
    const errorLinesBefore = gw.logLines.filter((l) => l.level === 'error').length;
    const http = await gw.gql(query, variables, A);
    const ws = wsClient(gw.url, { connectionParams: A });
    const sse = sseClient(gw.url, { ...A });
    const overWs = await subscriptionCodes(watch(ws, subscription, variables));
    const overSse = await subscriptionCodes(watch(sse, subscription, variables));
    await ws.dispose();
    sse.dispose();
    expect({ http: http.errors?.map((e: any) => e.extensions?.code), ws: overWs, sse: overSse }).toEqual({
      http: [code],
      ws: [code],
      sse: [code],
    });
    expect(gw.logLines.filter((l) => l.level === 'error').length).toBe(errorLinesBefore);
    // Still serving.
    expect((await gw.gql(`{ job(id: "0123456789abcdef01234567") { id } }`, {}, A)).status).toBe(200);
  });
});

describe('changes only', () => {
  it.each([
    ['graphql-ws', () => wsClient(gw.url, { connectionParams: A })],
    ['SSE', () => sseClient(gw.url, { ...A })],
  ] as const)('a watched import over %s: no two identical events in a row', async (_name, makeClient) => {
    const client = makeClient();
    const job = watch(client, `subscription($id: ID!) { job(id: $id) { state } }`, { id: await startImport() });
    await job.ended;
    const states = job.events.map((e) => JSON.stringify(e));
    expect(states.length).toBeGreaterThan(1);
    expect(states.every((s, i) => i === 0 || s !== states[i - 1])).toBe(true);
    expect(job.events.at(-1)!.data!.job.state).toBe('SUCCEEDED');
    const maybeDispose = (client as { dispose(): unknown }).dispose();
    await maybeDispose;
  });
});
