import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startTracing } from '../../src/tracing/setup.js';
import { startTestGateway } from '../helpers/gateway.js';

/** A stand-in OpenTelemetry collector on loopback: records what arrives at its OTLP/HTTP traces endpoint. */
const received: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
const collector = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    res
      .writeHead(200, { 'content-type': String(req.headers['content-type']) })
      .end(req.headers['content-type']?.includes('json') ? '{}' : '');
  });
});
let endpoint: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

async function runOneTracedQuery(env: Record<string, string>): Promise<void> {
  const tracingConfig = parseConfig(env).tracing;
  expect(tracingConfig).not.toBeNull();
  const tracing = startTracing(tracingConfig!);
  const gw = await startTestGateway({ tracer: tracing.tracer });
  try {
    expect((await gw.gql(`query Exported { images(first: 2) { nodes { id } } }`)).errors).toBeUndefined();
  } finally {
    await gw.close();
    await tracing.shutdown();
  }
}

it('exports the spans over OTLP/HTTP JSON to the configured endpoint, with its headers and the service name', async () => {
  received.splice(0);
  await runOneTracedQuery({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=key-123',
    OTEL_SERVICE_NAME: 'imagegraph-under-test',
  });
  expect(received.length).toBeGreaterThan(0);
  expect(received.every((r) => r.path === '/v1/traces' && r.headers['x-collector-key'] === 'key-123')).toBe(true);
  const exported = received.map((r) => JSON.stringify(JSON.parse(r.body.toString('utf8')))).join('\n');
  expect(exported).toContain('"imagegraph-under-test"');
  expect(exported).toContain('"query Exported"');
  expect(exported).toContain('"GET /v1/images"');
});

it('exports OTLP/HTTP protobuf by default', async () => {
  received.splice(0);
  await runOneTracedQuery({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/custom/traces` });
  expect(received.length).toBeGreaterThan(0);
  expect(received[0]!.path).toBe('/custom/traces');
  expect(received[0]!.headers['content-type']).toBe('application/x-protobuf');
  // Strings travel as-is in protobuf: the span names are in the body.
  expect(received.map((r) => r.body.toString('latin1')).join('')).toContain('GET /v1/images');
});
