import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECOND_TENANT } from '../../src/sandbox/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';
import { sseClient, watch, wsClient, type Watched } from '../helpers/subscriptions.js';

const IMAGE_STATE = `subscription($id: ID!) { imageState(id: $id) { id state { current } } }`;
const JOB = `subscription($id: ID!) { job(id: $id) { id state done upstreamState progress { completedSteps totalSteps } } }`;
const LIFECYCLE = ['NEW', 'DOWNLOADING', 'BUILDING', 'VERIFYING', 'SAVING', 'LIVE'];

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    sandbox: { jobDurationMs: 2_500, secondTenant: true },
    env: {
      SUBSCRIPTION_UPSTREAM_OUTAGE_MS: '600',
      SUBSCRIPTION_UNKNOWN_GRACE_MS: '300',
      SUBSCRIPTIONS_PER_CONNECTION: '60',
      CYCLE_RETRIES: '0',
    },
  });
});
afterAll(() => gw.close());
beforeEach(() => gw.sandbox.resetRequests());

/** An operation over HTTP, with the gateway's token when it needs one. */
function gql(g: TestGateway, query: string, variables: Record<string, unknown>) {
  const token = g.config.gatewayTokens[0];
  return g.gql(query, variables, token ? { authorization: `Bearer ${token}` } : {});
}

async function newImage(g: TestGateway = gw): Promise<string> {
  const sources = await gql(
    g,
    `{ imageSources(first: 100) { nodes { id state { current } origin { __typename } } } }`,
    {},
  );
  const source = sources.data!.imageSources.nodes.find(
    (n: any) => n.origin.__typename === 'DockerHubOrigin' && n.state.current === 'LIVE',
  );
  const created = await gql(g, `mutation($s: ID!) { createImage(input: { sourceId: $s }) { image { id } } }`, {
    s: source.id,
  });
  return created.data!.createImage.image.id;
}

async function startImport(imageId: string, g: TestGateway = gw): Promise<string> {
  const started = await gql(g, `mutation($id: ID!) { importImage(id: $id) { id } }`, { id: imageId });
  return started.data!.importImage.id;
}

const states = (w: Watched) => w.events.map((e) => e.data?.imageState?.state.current);
const codesOf = (w: Watched) => w.events.flatMap((e) => (e.errors ?? []).map((x) => x.extensions?.code));

async function metric(name: string, labels?: Record<string, string>): Promise<number> {
  return (await scrape(`${gw.url}/metrics`)).sum(name, labels);
}

function expectLifecycle(seen: (string | undefined)[]): void {
  expect(seen[0]).toBe('NEW');
  expect(seen.at(-1)).toBe('LIVE');
  const order = seen.map((s) => LIFECYCLE.indexOf(s!));
  expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!))).toBe(true);
}

describe('watching an import', () => {
  it('over graphql-ws: from NEW to LIVE, then complete', async () => {
    const client = wsClient(gw.url);
    const imageId = await newImage();
    const image = watch(client, IMAGE_STATE, { id: imageId });
    await image.first;
    await startImport(imageId);
    await image.ended;
    expectLifecycle(states(image));
    expect(codesOf(image)).toEqual([]);
    await client.dispose();
  });

  it('over SSE (graphql-sse): from NEW to LIVE, then complete', async () => {
    const client = sseClient(gw.url);
    const imageId = await newImage();
    const image = watch(client, IMAGE_STATE, { id: imageId });
    await image.first;
    await startImport(imageId);
    await image.ended;
    expectLifecycle(states(image));
    client.dispose();
  });

  it('picks the response by the client’s preference when it accepts both JSON and an event stream', async () => {
    const post = (accept: string, query: string) =>
      fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query, variables: { id: '0123456789abcdef01234567' } }),
      });
    // urql's Accept for queries and mutations: JSON first.
    const query = await post(
      'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
      'query ($id: ID!) { image(id: $id) { id } }',
    );
    expect(query.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await query.json()).toEqual({ data: { image: null }, extensions: expect.anything() });
    // urql's Accept for subscriptions: a stream first, with graphql-sse's distinct-connection events.
    const subscription = await post('text/event-stream, multipart/mixed', JOB);
    expect(subscription.headers.get('content-type')).toContain('text/event-stream');
    const text = await subscription.text();
    expect(text).toContain('event: next');
    expect(text).toContain('NOT_FOUND');
    expect(text).toContain('event: complete');
  });

  it('delivers each change of a job and ends after its terminal state', async () => {
    const client = wsClient(gw.url);
    const jobId = await startImport(await newImage());
    const job = watch(client, JOB, { id: jobId });
    await job.ended;
    const events = job.events.map((e) => e.data!.job);
    expect(events.at(-1)).toMatchObject({ id: jobId, state: 'SUCCEEDED', done: true, upstreamState: 'completed' });
    expect(events.slice(0, -1).every((e) => !e.done)).toBe(true);
    const steps = events.map((e) => e.progress?.completedSteps ?? 0);
    expect(steps.every((n, i) => i === 0 || n >= steps[i - 1]!)).toBe(true);
    // Only changes are delivered: no two consecutive events are the same.
    expect(events.every((e, i) => i === 0 || JSON.stringify(e) !== JSON.stringify(events[i - 1]))).toBe(true);
    await client.dispose();
  });
});

describe('Cloud Foundry', () => {
  it('watches a package copy from COPYING to READY, then the job deleting it to its end', async () => {
    const found = await gw.gql(
      `{ packages(first: 1, filter: { types: [BITS], states: [READY] }) { nodes { guid appGuid } } apps(first: 50) { nodes { guid lifecycle { type } } } }`,
    );
    const source = found.data!.packages.nodes[0];
    const target = found.data!.apps.nodes.find(
      (a: any) => a.lifecycle.type === 'buildpack' && a.guid !== source.appGuid,
    );
    const copied = await gw.gql(
      `mutation($s: ID!, $a: ID!) { copyPackage(sourceGuid: $s, appGuid: $a) { guid state } }`,
      { s: source.guid, a: target.guid },
    );
    expect(copied.data!.copyPackage.state).toBe('COPYING');
    const guid: string = copied.data!.copyPackage.guid;
    const client = sseClient(gw.url);
    const pkg = watch(client, `subscription($g: ID!) { packageState(guid: $g) { guid state } }`, { g: guid });
    await pkg.ended;
    expect(pkg.events.map((e) => e.data!.packageState.state)).toEqual(['COPYING', 'READY']);

    const deleted = await gw.gql(`mutation($g: ID!) { deletePackage(guid: $g) { id state } }`, { g: guid });
    const job = watch(client, JOB, { id: deleted.data!.deletePackage.id });
    await job.ended;
    expect(job.events.at(-1)!.data!.job).toMatchObject({ state: 'SUCCEEDED', done: true, upstreamState: 'COMPLETE' });
    const unknown = watch(client, `subscription($g: ID!) { packageState(guid: $g) { guid } }`, { g: guid });
    await unknown.ended;
    expect(codesOf(unknown)).toEqual(['NOT_FOUND']);
    client.dispose();
  });
});

describe('shared polling', () => {
  it('serves 50 subscribers of one job with one poll: the upstream reads are those of one subscriber', async () => {
    const client = wsClient(gw.url);
    const jobId = await startImport(await newImage());
    const readsBefore = await metric('imagegraph_subscription_poll_reads_total', { resource: 'cycle.job' });
    const watchers = Array.from({ length: 50 }, () => watch(client, JOB, { id: jobId }));
    await Promise.all(watchers.map((w) => w.first));
    expect(await metric('imagegraph_subscription_polls_active')).toBe(1);
    expect(await metric('imagegraph_subscriptions_active', { transport: 'websocket' })).toBe(50);
    await Promise.all(watchers.map((w) => w.ended));
    const reads = (await metric('imagegraph_subscription_poll_reads_total', { resource: 'cycle.job' })) - readsBefore;
    const upstreamReads = gw.sandbox.cycle.requests().filter((r) => r.path === `/v1/jobs/${jobId}`).length;
    expect(upstreamReads).toBe(reads);
    // Everyone saw the end; a subscriber that joined after a change starts from the latest value.
    for (const w of watchers) expect(w.events.at(-1)!.data!.job.done).toBe(true);
    expect(await metric('imagegraph_subscription_polls_active')).toBe(0);
    await client.dispose();
  });

  it('stops polling when the last subscriber leaves; the others keep theirs', async () => {
    const client = wsClient(gw.url);
    const jobId = await startImport(await newImage());
    const leaving = watch(client, JOB, { id: jobId });
    const staying = watch(client, JOB, { id: jobId });
    await Promise.all([leaving.first, staying.first]);
    leaving.stop();
    await staying.ended;
    expect(staying.events.at(-1)!.data!.job.done).toBe(true);
    await vi.waitFor(() =>
      expect(gw.logLines.some((l) => l.msg === 'graphql subscription' && l.ended === 'client')).toBe(true),
    );

    const alone = watch(client, JOB, { id: await startImport(await newImage()) });
    await alone.first;
    alone.stop();
    await vi.waitFor(async () => expect(await metric('imagegraph_subscription_polls_active')).toBe(0));
    expect(await metric('imagegraph_subscriptions_active', { transport: 'websocket' })).toBe(0);
    await client.dispose();
  });

  it('never shares a poll across credentials: another tenant watching the job id gets NOT_FOUND', async () => {
    const jobId = await startImport(await newImage());
    const owner = wsClient(gw.url);
    const stranger = wsClient(gw.url, {
      connectionParams: {
        'x-cycle-authorization': SECOND_TENANT.cycle.apiKey,
        'x-cycle-hub-id': SECOND_TENANT.cycle.hubId,
      },
    });
    const mine = watch(owner, JOB, { id: jobId });
    await mine.first;
    const theirs = watch(stranger, JOB, { id: jobId });
    await Promise.all([mine.ended, theirs.ended]);
    expect(mine.events.at(-1)!.data!.job.state).toBe('SUCCEEDED');
    expect(theirs.events).toHaveLength(1);
    expect(codesOf(theirs)).toEqual(['NOT_FOUND']);
    await Promise.all([owner.dispose(), stranger.dispose()]);
  });
});

describe('errors', () => {
  it('ends a job the upstream does not know, after the grace, with NOT_FOUND', async () => {
    const client = wsClient(gw.url);
    const unknown = watch(client, JOB, { id: '0123456789abcdef01234567' });
    await unknown.ended;
    expect(unknown.events).toHaveLength(1);
    expect(unknown.events[0]).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'NOT_FOUND', upstream: 'cycle' } }],
    });
    await client.dispose();
  });

  it('refuses bad input, other operation types and limits before any upstream request', async () => {
    const client = wsClient(gw.url);
    const refusal = (query: string, variables: Record<string, unknown> = {}) =>
      watch(client, query, variables).ended.then(
        () => [],
        (errors: { extensions?: { code?: string } }[]) => errors.map((e) => e.extensions?.code),
      );
    expect(await refusal(JOB, { id: 'not-a-job' })).toEqual([]);
    expect(await refusal(`{ job(id: "0123456789abcdef01234567") { id } }`)).toEqual(['BAD_REQUEST']);
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
    expect(await refusal(`subscription { job(id: "0123456789abcdef01234567") { ${aliases} } }`)).toEqual([
      'TOO_MANY_ALIASES',
    ]);
    expect(await refusal(`subscription { job(id: "x") { nope } }`)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
    await client.dispose();
  });

  it('refuses a subscription posted as a plain HTTP request, naming the transports', async () => {
    const res = await gw.gql(`subscription { job(id: "0123456789abcdef01234567") { id } }`);
    expect(res.status).toBe(400);
    expect(res.errors).toMatchObject([
      { extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/WebSocket/) },
    ]);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
  });

  it('reports a bad id as a BAD_USER_INPUT event, without an upstream request', async () => {
    const client = sseClient(gw.url);
    const bad = watch(client, JOB, { id: 'not-a-job' });
    await bad.ended;
    expect(bad.events).toEqual([
      {
        data: null,
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
      },
    ]);
    expect(gw.sandbox.cycle.requests()).toEqual([]);
    client.dispose();
  });

  it('passes an upstream failure to subscribers with its code, and ends when the upstream stays down', async () => {
    const client = wsClient(gw.url);
    const jobId = await startImport(await newImage());
    const job = watch(client, JOB, { id: jobId });
    await job.first;
    gw.sandbox.cycle.injectFault({ path: `/v1/jobs/${jobId}`, status: 503 });
    try {
      await job.ended;
    } finally {
      gw.sandbox.clearFaults();
    }
    const failures = job.events.filter((e) => e.errors);
    expect(job.events[0]!.data!.job.id).toBe(jobId);
    expect(failures.length).toBe(2);
    expect(failures[0]!.errors![0]).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle', status: 503 },
    });
    expect(failures[1]!.errors![0]!.message).toMatch(/subscription ends/);
    expect(job.events.at(-1)).toBe(failures[1]);
    await client.dispose();
  });

  it('ends at once on a failure that will not pass (the upstream refuses the credentials)', async () => {
    const client = wsClient(gw.url);
    const jobId = await startImport(await newImage());
    gw.sandbox.cycle.injectFault({ path: `/v1/jobs/${jobId}`, status: 401, times: 1 });
    const job = watch(client, JOB, { id: jobId });
    await job.ended;
    expect(codesOf(job)).toEqual(['UNAUTHENTICATED']);
    await client.dispose();
  });
});

describe('with a gateway token, per-connection limits and at shutdown', () => {
  const TOKEN = 'subscriptions-test-token-0123456789';
  let secured: TestGateway;
  beforeAll(async () => {
    secured = await startTestGateway({
      sandbox: { jobDurationMs: 60_000 },
      env: { GATEWAY_TOKENS: TOKEN, SUBSCRIPTIONS_PER_CONNECTION: '2' },
    });
  });
  afterAll(() => secured.close());
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('closes a WebSocket without the token (4401, with the reason) and serves one that sends it in connection_init', async () => {
    // graphql-ws's client as configured by default (5 retries): 4401 is final for it, so it reports at once instead of
    // retrying in silence.
    const anonymous = wsClient(secured.url, { retryAttempts: 5 });
    const refused = watch(anonymous, JOB, { id: '0123456789abcdef01234567' });
    const started = Date.now();
    await expect(refused.ended).rejects.toMatchObject({ code: 4401, reason: expect.stringMatching(/gateway token/) });
    // A liveness bound, not a timing: the retries alone would take about 15 s.
    expect(Date.now() - started).toBeLessThan(5_000);
    await vi.waitFor(() =>
      expect(
        secured.logLines.find((l) => l.msg === 'subscription refused' && l.reason === 'unauthenticated'),
      ).toMatchObject({ level: 'info', transport: 'websocket', requestId: expect.any(String) }),
    );
    expect(
      (await scrape(`${secured.url}/metrics`, bearer)).sum('imagegraph_subscriptions_refused_total', {
        transport: 'websocket',
        reason: 'unauthenticated',
      }),
    ).toBe(1);
    await anonymous.dispose();

    const imageId = await newImage(secured);
    const client = wsClient(secured.url, { connectionParams: bearer });
    const image = watch(client, IMAGE_STATE, { id: imageId });
    await image.first;
    expect(states(image)).toEqual(['NEW']);
    image.stop();
    await client.dispose();
  });

  it('answers an SSE request without the token with 401, and streams one with it', async () => {
    const anonymous = await fetch(`${secured.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: JOB, variables: { id: '0123456789abcdef01234567' } }),
    });
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    expect(
      (await scrape(`${secured.url}/metrics`, bearer)).sum('imagegraph_subscriptions_refused_total', {
        transport: 'sse',
        reason: 'unauthenticated',
      }),
    ).toBe(1);
    expect(secured.logLines.filter((l) => l.msg === 'subscription refused' && l.transport === 'sse')).toHaveLength(1);
    const client = sseClient(secured.url, bearer);
    const image = watch(client, IMAGE_STATE, { id: await newImage(secured) });
    await image.first;
    expect(states(image)).toEqual(['NEW']);
    image.stop();
    client.dispose();
  });

  it('refuses a subscription beyond the per-connection limit', async () => {
    const client = wsClient(secured.url, { connectionParams: bearer });
    const imageId = await newImage(secured);
    const running = [watch(client, IMAGE_STATE, { id: imageId }), watch(client, IMAGE_STATE, { id: imageId })];
    await Promise.all(running.map((w) => w.first));
    await expect(watch(client, IMAGE_STATE, { id: imageId }).ended).rejects.toMatchObject([
      { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
    ]);
    running.forEach((w) => w.stop());
    await client.dispose();
  });

  it('ends every subscription at shutdown with SHUTTING_DOWN, over both transports', async () => {
    const imageId = await newImage(secured);
    await startImport(imageId, secured);
    const ws = wsClient(secured.url, { connectionParams: bearer });
    const sse = sseClient(secured.url, bearer);
    const overWs = watch(ws, IMAGE_STATE, { id: imageId });
    const overSse = watch(sse, IMAGE_STATE, { id: imageId });
    await Promise.all([overWs.first, overSse.first]);
    await secured.gateway.close();
    // Both got a last SHUTTING_DOWN error then the server's `complete` (not a cut connection), before the import
    // finished: no subscriber takes the shutdown for the end of the import.
    await Promise.all([overWs.ended, overSse.ended]);
    for (const w of [overWs, overSse]) {
      expect(states(w).filter(Boolean).at(-1)).not.toBe('LIVE');
      expect(w.events.at(-1)).toMatchObject({ data: null, errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] });
    }
    const ends = secured.logLines.filter((l) => l.msg === 'graphql subscription' && l.operationType === 'subscription');
    expect(ends.slice(-2).map((l) => [l.ended, l.outcome])).toEqual([
      ['shutdown', 'partial'],
      ['shutdown', 'partial'],
    ]);
    sse.dispose();
    await ws.dispose();
  });
});
