import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl } from '../../src/server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';

const ALL_THREE = `query AllThree {
  images(first: 3) { nodes { id } }
  packages(first: 10) { nodes { guid app { guid } } }
  repositories(first: 2) { nodes { name } }
}`;

describe('GET /metrics', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('counts the upstream requests of a query, per upstream and route template, as the upstreams saw them', async () => {
    gw.sandbox.resetRequests();
    const res = await gw.gql(ALL_THREE);
    expect(res.errors).toBeUndefined();
    const metrics = await scrape(`${gw.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    for (const upstream of ['cycle', 'cf', 'dockercloud'] as const) {
      const seen = gw.sandbox[upstream].requests();
      expect(seen.length).toBeGreaterThan(0);
      expect(metrics.sum('imagegraph_upstream_requests_total', { upstream })).toBe(seen.length);
      expect(metrics.sum('imagegraph_upstream_request_duration_seconds_count', { upstream })).toBe(seen.length);
    }
    expect(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'cycle',
        route: '/v1/images',
        method: 'GET',
        status: '200',
      }),
    ).toBe(1);
    expect(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'cf',
        route: '/v3/packages',
        method: 'GET',
        status: '200',
      }),
    ).toBe(1);
    expect(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'dockercloud',
        route: '/api/repo/v1/repository/',
        method: 'GET',
        status: '200',
      }),
    ).toBe(1);
    // Route templates, never raw paths: no label value holds an id.
    for (const series of metrics.series.filter((s) => s.name === 'imagegraph_upstream_requests_total'))
      expect(series.labels.route).not.toMatch(/[0-9a-f]{24}|[0-9a-f-]{36}/);

    expect(
      metrics.value('imagegraph_graphql_requests_total', { operation: 'AllThree', type: 'query', outcome: 'success' }),
    ).toBe(1);
    expect(
      metrics.value('imagegraph_graphql_request_duration_seconds_count', {
        operation: 'AllThree',
        type: 'query',
        outcome: 'success',
      }),
    ).toBe(1);

    // One batch of app guids for the page of packages: its size is the number of distinct apps.
    const apps = new Set(
      (res.data!.packages.nodes as { app: { guid: string } | null }[]).flatMap((p) => (p.app ? [p.app.guid] : [])),
    );
    expect(metrics.value('imagegraph_dataloader_batch_size_count', { loader: 'cf.app' })).toBe(1);
    expect(metrics.value('imagegraph_dataloader_batch_size_sum', { loader: 'cf.app' })).toBe(apps.size);

    expect(metrics.value('imagegraph_upstream_circuit_state', { upstream: 'cycle' })).toBe(0);
    expect(metrics.sum('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('labels operations by name, type and outcome, with anonymous operations and failures apart', async () => {
    await gw.gql(`{ __typename }`);
    gw.sandbox.dockercloud.injectFault({ path: '/api/repo/v1/repository/', status: 500 });
    try {
      const partial = await gw.gql(
        `query Partial { images(first: 1) { nodes { id } } repositories(first: 1) { nodes { name } } }`,
      );
      expect(partial.errors?.length).toBeGreaterThan(0);
    } finally {
      gw.sandbox.clearFaults();
    }
    await gw.gql(`query Invalid { noSuchField }`);
    const metrics = await scrape(`${gw.url}/metrics`);
    expect(
      metrics.value('imagegraph_graphql_requests_total', {
        operation: '__anonymous__',
        type: 'query',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metrics.value('imagegraph_graphql_requests_total', { operation: 'Partial', type: 'query', outcome: 'partial' }),
    ).toBe(1);
    // An operation that never resolved (invalid document) has no name or type to report.
    expect(
      metrics.value('imagegraph_graphql_requests_total', {
        operation: '__anonymous__',
        type: 'unknown',
        outcome: 'error',
      }),
    ).toBe(1);
    expect(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'dockercloud',
        route: '/api/repo/v1/repository/',
        method: 'GET',
        status: '500',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts retries by reason, and each attempt as an upstream request', async () => {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 503, times: 1 });
    const res = await gw.gql(`query Retried { images(first: 1) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    const metrics = await scrape(`${gw.url}/metrics`);
    expect(
      metrics.value('imagegraph_upstream_retries_total', { upstream: 'cycle', route: '/v1/images', reason: '503' }),
    ).toBe(1);
    expect(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'cycle',
        route: '/v1/images',
        method: 'GET',
        status: '503',
      }),
    ).toBe(1);
  });
});

describe('upstream timeouts and the circuit breaker', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      env: {
        CYCLE_FIRST_BYTE_TIMEOUT_MS: '200',
        CYCLE_RETRIES: '0',
        CYCLE_BREAKER_VOLUME: '3',
        CYCLE_BREAKER_ERROR_PERCENTAGE: '50',
        CYCLE_BREAKER_RESET_MS: '300',
      },
    });
  });
  afterAll(() => gw.close());

  it('counts timeouts, and shows the breaker open, failing fast, then closed again', async () => {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: 1_000, times: 1 });
    const slow = await gw.gql(`{ images(first: 1) { nodes { id } } }`);
    expect(slow.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    let metrics = await scrape(`${gw.url}/metrics`);
    expect(
      metrics.value('imagegraph_upstream_timeouts_total', { upstream: 'cycle', route: '/v1/images', method: 'GET' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metrics.value('imagegraph_upstream_timeouts_total', { upstream: 'cycle', route: '/v1/images', method: 'GET' }),
    ).toBe(
      metrics.value('imagegraph_upstream_requests_total', {
        upstream: 'cycle',
        route: '/v1/images',
        method: 'GET',
        status: 'timeout',
      }),
    );

    gw.sandbox.cycle.injectFault({ path: '/v1/images', status: 500 });
    let failedFast = 0;
    for (let i = 0; i < 4; i++) {
      const res = await gw.gql(`{ images(first: 1) { nodes { id } } }`);
      if (/circuit is open/.test(res.errors?.[0]?.message ?? '')) failedFast += 1;
    }
    expect(failedFast).toBeGreaterThanOrEqual(1);
    metrics = await scrape(`${gw.url}/metrics`);
    expect(metrics.value('imagegraph_upstream_circuit_state', { upstream: 'cycle' })).toBe(2);
    expect(metrics.value('imagegraph_upstream_circuit_rejections_total', { upstream: 'cycle' })).toBe(failedFast);
    expect(metrics.value('imagegraph_upstream_circuit_state', { upstream: 'cf' })).toBe(0);

    gw.sandbox.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await gw.gql(`{ images(first: 1) { nodes { id } } }`)).errors).toBeUndefined();
    metrics = await scrape(`${gw.url}/metrics`);
    expect(metrics.value('imagegraph_upstream_circuit_state', { upstream: 'cycle' })).toBe(0);
  });
});

describe('who may read /metrics', () => {
  const TOKEN = 'metrics-test-gateway-token-0123456789';

  it('needs the gateway token on the main port when GATEWAY_TOKENS is set', async () => {
    const gw = await startTestGateway({ env: { GATEWAY_TOKENS: TOKEN } });
    try {
      expect((await scrape(`${gw.url}/metrics`)).status).toBe(401);
      expect((await scrape(`${gw.url}/metrics`, { authorization: 'Bearer not-the-token-at-all-000' })).status).toBe(
        401,
      );
      const allowed = await scrape(`${gw.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('imagegraph_upstream_circuit_state');
      expect(
        (await fetch(`${gw.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(405);
    } finally {
      await gw.close();
    }
  });

  it('with METRICS_PORT, is served on that port alone, without token, and not on the main port', async () => {
    const gw = await startTestGateway({ env: { GATEWAY_TOKENS: TOKEN, METRICS_PORT: '0' } });
    try {
      expect(gw.gateway.metricsServer).not.toBeNull();
      const metricsUrl = baseUrl(gw.gateway.metricsServer!);
      expect(metricsUrl).not.toBe(gw.url);
      await gw.gql(`query Counted { __typename }`, {}, { authorization: `Bearer ${TOKEN}` });
      const metrics = await scrape(`${metricsUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(
        metrics.value('imagegraph_graphql_requests_total', { operation: 'Counted', type: 'query', outcome: 'success' }),
      ).toBe(1);
      expect((await fetch(`${metricsUrl}/graphql`)).status).toBe(404);
      expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await gw.close();
    }
    expect(gw.gateway.metricsServer!.listening).toBe(false);
  });
});
