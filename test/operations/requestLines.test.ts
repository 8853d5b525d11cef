/**
 * Every request that reaches the gateway leaves a line at info with its request id, and a failed one says why: the
 * GraphQL line names each error's code, path, upstream, upstream status and upstream code; requests refused before
 * the GraphQL pipeline leave an `http request` line with their status and code.
 */
import { once } from 'node:events';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestGateway } from '../helpers/fixture.js';
import { startTestGateway } from '../helpers/gateway.js';
import { linesOf, logLine } from '../helpers/logCapture.js';

const gw = useTestGateway({ env: { CYCLE_RETRIES: '0' } });

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('GraphQL errors', () => {
  it('an upstream 500: the line names the field, the upstream, its status and its code', async () => {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 500, times: 1 });
    const res = await post('{"query":"query Broken { images(first: 1) { nodes { id } } }"}', {
      'x-request-id': 'upstream-500',
    });
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const line = await logLine(gw.logLines, { msg: 'graphql request', requestId: 'upstream-500' });
    expect(line).toMatchObject({
      level: 'info',
      operationName: 'Broken',
      errorCodes: ['UPSTREAM_ERROR'],
      errors: [{ code: 'UPSTREAM_ERROR', path: 'images', upstream: 'cycle', upstreamStatus: 500 }],
    });
  });

  it('each operation of a batch has its own line with only its own upstream calls', async () => {
    const res = await post(
      JSON.stringify([
        { query: 'query First { images(first: 1) { nodes { id } } }' },
        { query: 'query Second { __typename }' },
      ]),
      { 'x-request-id': 'batch-1' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(2);
    const lines = linesOf(gw.logLines, 'batch-1').filter((l) => l.msg === 'graphql request');
    expect(lines.map((l) => [l.operationName, l.upstreamCalls]).sort()).toEqual([
      ['First', 1],
      ['Second', 0],
    ]);
    expect(linesOf(gw.logLines, 'batch-1').filter((l) => l.msg === 'http request')).toEqual([]);
  });
});

describe('refusals before the GraphQL pipeline', () => {
  const refusals: [string, () => Promise<Response>, number, string][] = [
    ['bad JSON', () => post('{"query": ', { 'x-request-id': 'bad-json' }), 400, 'BAD_REQUEST'],
    [
      'a body over MAX_BODY_BYTES',
      () => post(JSON.stringify({ query: `{ __typename }${' '.repeat(2_000_000)}` }), { 'x-request-id': 'too-big' }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a DELETE',
      () =>
        fetch(`${gw.url}/graphql`, {
          method: 'DELETE',
          headers: { 'x-request-id': 'a-delete', 'content-type': 'application/json' },
        }),
      405,
      // Apollo's own answer to a method GraphQL-over-HTTP does not define.
      'BAD_REQUEST',
    ],
    [
      'a simple request CSRF prevention refuses',
      () =>
        fetch(`${gw.url}/graphql?query=%7B__typename%7D`, {
          headers: { 'x-request-id': 'csrf' },
        }),
      400,
      'BAD_REQUEST',
    ],
    [
      'a batch of batches',
      () => post('[[{"query":"{ __typename }"}]]', { 'x-request-id': 'nested-batch' }),
      400,
      'BAD_REQUEST',
    ],
  ];
  it.each(refusals)('%s: an http request line with status and code', async (_, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    const requestId = res.headers.get('x-request-id')!;
    const line = await logLine(gw.logLines, { msg: 'http request', requestId });
    expect(line).toMatchObject({ level: 'info', path: '/graphql', status, code });
    expect(typeof line.reason).toBe('string');
    expect(linesOf(gw.logLines, requestId).filter((l) => l.msg === 'graphql request')).toEqual([]);
  });

  it('health checks are logged at debug only', async () => {
    await fetch(`${gw.url}/healthz`, { headers: { 'x-request-id': 'health' } });
    const line = await logLine(gw.logLines, { msg: 'http request', requestId: 'health' });
    expect(line).toMatchObject({ level: 'debug', status: 200 });
  });

  it('a refused WebSocket upgrade (foreign origin) leaves its line', async () => {
    const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: { origin: 'https://evil.example', 'x-request-id': 'ws-refused' },
    });
    const [error] = (await once(socket, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
    const line = await logLine(gw.logLines, { msg: 'websocket upgrade', requestId: 'ws-refused' });
    expect(line).toMatchObject({ level: 'info', status: 403, reason: 'Forbidden', path: '/graphql' });
  });
});

describe('with GATEWAY_TOKENS', () => {
  it('a missing token (401) and a WebSocket without one (4403) each leave their line', async () => {
    const secured = await startTestGateway({ env: { GATEWAY_TOKENS: 'a-gateway-token-for-logging-tests' } });
    try {
      const res = await fetch(`${secured.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'no-token' },
        body: '{"query":"{ __typename }"}',
      });
      expect(res.status).toBe(401);
      expect(await logLine(secured.logLines, { msg: 'http request', requestId: 'no-token' })).toMatchObject({
        level: 'info',
        status: 401,
        code: 'UNAUTHENTICATED',
      });

      const socket = new WebSocket(`${secured.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { 'x-request-id': 'ws-no-token' },
      });
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      const [closeCode] = (await once(socket, 'close')) as [number];
      // 4401: graphql-ws clients take it as final (subscriptions/websocket.ts).
      expect(closeCode).toBe(4401);
      expect(await logLine(secured.logLines, { msg: 'subscription refused', requestId: 'ws-no-token' })).toMatchObject({
        level: 'info',
        transport: 'websocket',
        reason: 'unauthenticated',
      });
      expect(JSON.stringify(secured.logLines)).not.toContain('a-gateway-token-for-logging-tests');
    } finally {
      await secured.close();
    }
  });
});

it('a request cut off at the end of the shutdown grace: its 503 line', async () => {
  const closing = await startTestGateway({
    env: { SHUTDOWN_GRACE_MS: '300', CYCLE_RETRIES: '0', CYCLE_FIRST_BYTE_TIMEOUT_MS: '60000' },
  });
  try {
    closing.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: 5_000, times: 1 });
    const arrived = once(closing.gateway.httpServer, 'request');
    const slow = fetch(`${closing.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'cut-off',
      },
      body: '{"query":"{ images(first: 1) { nodes { id } } }"}',
    });
    await arrived;
    await closing.gateway.close();
    expect((await slow).status).toBe(503);
    expect(await logLine(closing.logLines, { msg: 'http request', requestId: 'cut-off' })).toMatchObject({
      level: 'info',
      status: 503,
      code: 'SHUTTING_DOWN',
    });
  } finally {
    await closing.close();
  }
});

it('each operation of a batch has its own operation span, parent of its own upstream exchanges only', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const traced = await startTestGateway({ tracer: provider.getTracer('test') });
  try {
    const res = await fetch(`${traced.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: 'query Images { images(first: 1) { nodes { id } } }' },
        { query: 'query Packages { packages(first: 1) { nodes { guid } } }' },
      ]),
    });
    expect(res.status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const operations = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(operations).toHaveLength(2);
    const exchangesUnder = (operation: (typeof operations)[number]) =>
      spans
        .filter((s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === operation.spanContext().spanId)
        .map((s) => s.name);
    const byName = Object.fromEntries(operations.map((o) => [o.name, exchangesUnder(o)]));
    expect(Object.keys(byName).sort()).toEqual(['query Images', 'query Packages']);
    expect(byName['query Images']).toEqual(['GET /v1/images']);
    expect(byName['query Packages']!.every((name) => name.includes('/v3/'))).toBe(true);
  } finally {
    await traced.close();
    await provider.shutdown();
  }
});
