/**
 * A subscription event is scrubbed of the request's secrets as a whole, data included, as HTTP answers are: a Cycle
 * that echoes the gateway's API key into a job's error message (a data field the subscription selects) delivers it
 * to no client, over WebSocket or Server-Sent Events; the same job read over HTTP is scrubbed the same way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { createServer as createGateway, type Gateway } from '../../src/server.js';
import { postGraphQL } from '../helpers/gateway.js';
import { sseClient, watch, wsClient } from '../helpers/subscriptions.js';

const API_KEY = 'subscription-scrub-cycle-key-5d1e9b';
const JOB_ID = 'cccccccccccccccccccccccc';
const NOW = '2026-01-01T00:00:00Z';

/** A failed job whose error quotes the credential the request came with (a misbehaving upstream). */
function failedJob(authorization: string) {
  return {
    id: JOB_ID,
    hub_id: 'abcdefabcdefabcdefabcdef',
    queue: 'images',
    caption: 'Import image',
    events: { queued: NOW, started: NOW, completed: NOW },
    schedule: NOW,
    expires: NOW,
    tasks: [],
    hash: 'h',
    limit_duplicates: false,
    creator: { type: 'account', id: 'dddddddddddddddddddddddd' },
    state: { current: 'error', changed: NOW, error: { message: `registry refused ${authorization}` } },
  };
}

let cycle: Server;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  cycle = createServer((request, response) => {
    if (!request.url?.startsWith(`/v1/jobs/${JOB_ID}`)) return void response.writeHead(404).end('{}');
    const body = { data: failedJob(String(request.headers.authorization)) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => cycle.listen(0, '127.0.0.1', resolve));
  const config = parseConfig({
    CYCLE_API_URL: `http://127.0.0.1:${(cycle.address() as AddressInfo).port}`,
    CYCLE_API_KEY: API_KEY,
    CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
  });
  gateway = createGateway(config, { logger: createLogger({ level: 'silent' }) });
  url = await gateway.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await gateway?.close();
  cycle?.closeAllConnections();
  await new Promise<void>((resolve) => cycle?.close(() => resolve()));
});

const SUBSCRIPTION = `subscription($id: ID!) { job(id: $id, platform: CYCLE) { id done errors { message } } }`;
const EXPECTED = { id: JOB_ID, done: true, errors: [{ message: 'registry refused [REDACTED]' }] };

it.each([
  ['WebSocket', () => wsClient(url)],
  ['Server-Sent Events', () => sseClient(url)],
])('over %s, the event carries the job error without the API key', async (_transport, client) => {
  const subscriber = client();
  try {
    const watched = watch(subscriber, SUBSCRIPTION, { id: JOB_ID });
    await watched.ended;
    expect(watched.events).toEqual([{ data: { job: EXPECTED } }]);
    expect(JSON.stringify(watched.events)).not.toContain(API_KEY);
  } finally {
    await subscriber.dispose();
  }
});

it('over HTTP, the same job reads the same way', async () => {
  const response = await postGraphQL<any>(
    `${url}/graphql`,
    `query($id: ID!) { job(id: $id, platform: CYCLE) { id done errors { message } } }`,
    { id: JOB_ID },
  );
  expect(response.data).toEqual({ job: EXPECTED });
  expect(response.errors).toBeUndefined();
});
