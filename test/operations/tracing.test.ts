import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UPSTREAM_NAMES, type Config } from '../../src/config.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy.js';
import { sseClient, watch } from '../helpers/subscriptions.js';

const ALL_THREE = `query AllThree {
  images(first: 3) { nodes { id } }
  packages(first: 5) { nodes { guid app { name } } }
  repositories(first: 2) { nodes { name registry { host } } }
}`;

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/** A gateway whose three upstreams sit behind recording proxies (to see the headers it sends them). */
async function startProxiedGateway(
  options: { tracer?: BasicTracerProvider } = {},
): Promise<{ gw: TestGateway; proxies: RecordingProxy[] }> {
  const proxies = await Promise.all(UPSTREAM_NAMES.map(() => startRecordingProxy()));
  const viaProxies = (config: Config): Config => {
    const upstreams = { ...config.upstreams };
    UPSTREAM_NAMES.forEach((name, i) => {
      proxies[i]!.forwardTo(upstreams[name]!.url);
      upstreams[name] = { ...upstreams[name]!, url: proxies[i]!.url };
    });
    return { ...config, upstreams };
  };
  const gw = await startTestGateway({
    config: viaProxies,
    ...(options.tracer ? { tracer: options.tracer.getTracer('test') } : {}),
  });
  return { gw, proxies };
}

describe('OpenTelemetry tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let gw: TestGateway;
  let proxies: RecordingProxy[];
  beforeAll(async () => {
    ({ gw, proxies } = await startProxiedGateway({ tracer: provider }));
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(proxies.map((p) => p.close()));
    await provider.shutdown();
  });

  const spansOf = (traceId: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const sentTraceparents = (): string[] =>
    proxies.flatMap((p) => p.requests.map((r) => String(r.headers.traceparent ?? '')));

  it('makes one span per upstream call, under the operation span, under the caller’s traceparent, and sends each its traceparent', async () => {
    proxies.forEach((p) => p.requests.splice(0));
    gw.sandbox.resetRequests();
    const res = await gw.gql(ALL_THREE, {}, { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` });
    expect(res.errors).toBeUndefined();

    const spans = spansOf(CALLER_TRACE_ID);
    const operations = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(operation.name).toBe('query AllThree');
    expect(operation.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'AllThree',
      'graphql.operation.type': 'query',
      'imagegraph.outcome': 'success',
    });

    const calls = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const upstreamRequests = UPSTREAM_NAMES.reduce((n, name) => n + gw.sandbox[name].requests().length, 0);
    expect(upstreamRequests).toBeGreaterThanOrEqual(5);
    expect(calls).toHaveLength(upstreamRequests);
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      expect(call.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
      expect(call.name).toBe(`GET ${String(call.attributes['url.template'])}`);
    }
    expect(new Set(calls.map((c) => c.attributes['imagegraph.upstream']))).toEqual(new Set(UPSTREAM_NAMES));
    expect(calls.map((c) => c.attributes['url.template'])).toEqual(
      expect.arrayContaining(['/v1/images', '/v3/packages', '/v3/apps', '/api/repo/v1/repository/']),
    );

    // What the upstreams received: one traceparent per request, naming exactly the upstream call spans.
    const sent = sentTraceparents();
    expect(sent).toHaveLength(upstreamRequests);
    const parsed = sent.map((header) => TRACEPARENT.exec(header));
    expect(parsed.every((m) => m !== null && m[1] === CALLER_TRACE_ID)).toBe(true);
    expect(new Set(parsed.map((m) => m![2]))).toEqual(new Set(calls.map((c) => c.spanContext().spanId)));

    // The request log line names the trace.
    expect(
      gw.logLines.some(
        (l) => l.msg === 'graphql request' && l.traceId === CALLER_TRACE_ID && l.operationName === 'AllThree',
      ),
    ).toBe(true);
  });

  it('gives each retry attempt its own span and traceparent, and marks failures', async () => {
    proxies.forEach((p) => p.requests.splice(0));
    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 503, times: 1 });
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    const res = await gw.gql(
      `query Retried { images(first: 1) { nodes { id } } }`,
      {},
      { traceparent: `00-${traceId}-1111222233334444-01` },
    );
    expect(res.errors).toBeUndefined();
    const calls = spansOf(traceId).filter((s) => s.kind === SpanKind.CLIENT);
    expect(calls.map((c) => c.attributes['http.response.status_code'])).toEqual([503, 200]);
    expect(calls[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(calls[0]!.attributes['error.type']).toBe('503');
    const sentSpanIds = proxies[0]!.requests.map((r) => TRACEPARENT.exec(String(r.headers.traceparent))?.[2]);
    expect(sentSpanIds).toEqual(calls.map((c) => c.spanContext().spanId));
  });

  it('starts a new trace when the caller sent none, and marks a failed operation', async () => {
    const before = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().spanId));
    const res = await gw.gql(`query Broken { noSuchField }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const fresh = exporter.getFinishedSpans().filter((s) => !before.has(s.spanContext().spanId));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.parentSpanContext).toBeUndefined();
    expect(fresh[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(fresh[0]!.attributes['imagegraph.error_codes']).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('gives a subscription its operation span, under the caller’s traceparent, ended with the subscription', async () => {
    const client = sseClient(gw.url, { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` });
    const unknown = watch(client, `subscription Watch($id: ID!) { imageState(id: $id) { id } }`, {
      id: '0123456789abcdef01234567',
    });
    await unknown.ended;
    client.dispose();
    const operation = await vi.waitFor(() => {
      const span = spansOf(CALLER_TRACE_ID).find((s) => s.name === 'subscription Watch');
      if (!span) throw new Error('no subscription span yet');
      return span;
    });
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(operation.attributes['imagegraph.error_codes']).toEqual(['NOT_FOUND']);
    expect(operation.status.code).toBe(SpanStatusCode.ERROR);
  });
});

it('sends no traceparent upstream when tracing is off (the default)', async () => {
  const { gw, proxies } = await startProxiedGateway();
  try {
    const res = await gw.gql(ALL_THREE, {}, { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` });
    expect(res.errors).toBeUndefined();
    const requests = proxies.flatMap((p) => p.requests);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(requests.every((r) => r.headers.traceparent === undefined)).toBe(true);
  } finally {
    await gw.close();
    await Promise.all(proxies.map((p) => p.close()));
  }
});
