/**
 * Requests that cannot be sent as they are never reach undici and never count against the circuit breaker. undici
 * 7.30.2's Pool stops dispatching for good after as many refused requests (UND_ERR_INVALID_ARG) as it has
 * connections, so a refusal reaching it would cost every later call to that upstream: each test here makes more
 * such requests than the pool has connections, then needs the same pool to answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { RefusedRequestError } from '../../src/errors.js';
import { UpstreamHttp } from '../../src/upstreams/shared/httpClient.js';
import { route } from '../../src/upstreams/shared/route.js';
import { UpstreamTrace } from '../../src/upstreams/shared/trace.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';

/** Ids an upstream might send that cannot go into a path as they are (and two that are no segment at all). */
const ODD_IDS = ['has space', 'a/b', 'what?x=1', '100%', 'tab\there', 'ünï', 'new\nline', '..', '.'];
const IMAGES = 72;

describe('through the gateway: odd upstream ids in paths', () => {
  let gw: TestGateway;
  let proxy: Server;
  const seenPaths: string[] = [];

  beforeAll(async () => {
    // In front of the Cycle emulator: image lists come back with odd ids; every other request passes unchanged.
    let cycleUrl = '';
    proxy = createServer((req, res) => {
      seenPaths.push(req.url ?? '');
      void forward(cycleUrl, req).then(({ status, type, body }) => {
        const isImageList = req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/v1/images';
        if (isImageList && status === 200) {
          const envelope = JSON.parse(body) as { data: { id: string }[] };
          envelope.data.forEach((image, i) => (image.id = `${ODD_IDS[i % ODD_IDS.length]} ${i}`));
          envelope.data[0]!.id = '..';
          envelope.data[1]!.id = '.';
          body = JSON.stringify(envelope);
        }
        res.writeHead(status, { 'content-type': type }).end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    gw = await startTestGateway({
      // A breaker that would open after 3 failures in 50%: any refusal it counted would open it.
      env: { CYCLE_BREAKER_VOLUME: '3', CYCLE_BREAKER_ERROR_PERCENTAGE: '50', CYCLE_POOL_CONNECTIONS: '4' },
      config: (config) => {
        cycleUrl = config.upstreams.cycle!.url;
        return { ...config, upstreams: { ...config.upstreams, cycle: { ...config.upstreams.cycle!, url: proxyUrl } } };
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it(`encodes ${IMAGES} odd ids into their paths, fails only the two that are no segment, and the pool serves on`, async () => {
    expect(gw.config.upstreams.cycle!.connections).toBe(4);
    const res = await gw.gql(`{ images(first: ${IMAGES}) { nodes { id buildLog { id } } } }`);
    const nodes = res.data!.images.nodes as { id: string; buildLog: unknown }[];
    expect(nodes).toHaveLength(IMAGES);
    // The emulator knows none of these ids: every build log reads as null (404), and only `..` and `.` are errors.
    expect(nodes.every((node) => node.buildLog === null)).toBe(true);
    expect(res.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.upstream])).toEqual([
      [['images', 'nodes', 0, 'buildLog'], 'UPSTREAM_ERROR', 'cycle'],
      [['images', 'nodes', 1, 'buildLog'], 'UPSTREAM_ERROR', 'cycle'],
    ]);
    expect(res.errors![0]!.message).toMatch(
      /\/v1\/images\/\{imageId\}\/build-log was not sent: the `imageId` is empty/,
    );

    const buildLogPaths = seenPaths.filter((path) => path.endsWith('/build-log'));
    expect(buildLogPaths).toHaveLength(IMAGES - 2);
    expect(buildLogPaths).toContain('/v1/images/has%20space%209/build-log');
    expect(buildLogPaths).toContain('/v1/images/a%2Fb%2010/build-log');
    expect(buildLogPaths).toContain('/v1/images/what%3Fx=1%2011/build-log');
    expect(buildLogPaths).toContain('/v1/images/100%25%2012/build-log');
    expect(buildLogPaths).toContain('/v1/images/new%0Aline%2015/build-log');

    // The same pool of 4 connections still answers, and the breaker never counted a failure.
    const after = await gw.gql(`{ images(first: 2) { nodes { name } } }`);
    expect(after.errors).toBeUndefined();
    expect(after.data!.images.nodes).toHaveLength(2);
    const metrics = await scrape(`${gw.url}/metrics`);
    expect(metrics.value('imagegraph_upstream_circuit_state', { upstream: 'cycle' })).toBe(0);
  }, 30_000);
});

describe('UpstreamHttp: requests undici would refuse', () => {
  let server: Server;
  let http: UpstreamHttp;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = parseConfig({ CYCLE_BREAKER_VOLUME: '3', CYCLE_BREAKER_ERROR_PERCENTAGE: '50' });
    http = new UpstreamHttp('cycle', {
      ...base.upstreamPolicies.cycle,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      connections: 4,
    });
  });
  afterAll(async () => {
    await http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses them before the breaker and the pool, which then still serve', async () => {
    const trace = new UpstreamTrace();
    const attempts = [
      // A path built by hand, bypassing route(): what undici calls an invalid request path.
      ...Array.from(
        { length: 32 },
        (_, i) => () =>
          http.send(
            { method: 'GET', route: { path: `/v1/images/bad id ${i}`, template: '/v1/images/{imageId}' } },
            {},
            trace,
          ),
      ),
      // A credential header with a line break (e.g. a pasted key).
      ...Array.from(
        { length: 32 },
        () => () => http.send({ method: 'GET', route: route('/v1/images') }, { authorization: 'Bearer key\nx' }, trace),
      ),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(RefusedRequestError);
    const error = (await attempts[40]!().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'Cycle request /v1/images was not sent: its authorization header holds characters HTTP does not allow',
    );
    expect(error.message).not.toContain('key');

    expect(received).toEqual([]);
    expect(trace.calls).toBe(0);
    // Refused before any breaker: none was even made for the callers.
    expect(http.circuits.size).toBe(0);

    const answer = await http.send({ method: 'GET', route: route('/v1/images') }, {}, trace);
    expect(answer.status).toBe(200);
    expect(received).toEqual(['/v1/images']);
  }, 30_000);
});

async function forward(baseUrl: string, req: IncomingMessage): Promise<{ status: number; type: string; body: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(
      ([name]) => name !== 'host' && name !== 'content-length' && name !== 'connection',
    ),
  ) as Record<string, string>;
  const answer = await fetch(`${baseUrl}${req.url}`, {
    method: req.method,
    headers,
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
  return { status: answer.status, type: answer.headers.get('content-type') ?? '', body: await answer.text() };
}
