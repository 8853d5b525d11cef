/**
 * A number field fed an upstream value its GraphQL type cannot hold (not a number, not finite, not an integer, beyond
 * 32 bits) fails with UPSTREAM_ERROR naming the upstream and its response field, and the value appears nowhere in
 * the response or the log: Cycle's image sizes and ports (`Float!`), CF's and Docker Cloud's `totalCount` (`Int!`),
 * Docker Cloud's `starCount` and registry `port` (`Int`). The same for string, boolean and closed-enum fields: Cycle's
 * `Image.name`, CF's `App.name` and `App.state`, Docker Cloud's `Registry.name` and `isSsl`. A value no decoder
 * checks (Docker Cloud's repository name sent an object) is masked by formatError instead, in development mode too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { createServer as createGateway, type Gateway } from '../../src/server.js';

/** Placeholder the fake upstream replaces with the raw JSON token under test (`1e400` has no JSON.stringify form). */
const ODD = '__ODD__';
/** Placeholder of a list's total: a total that is not a number fails its list (a malformed envelope), tested elsewhere. */
const TOTAL = '__TOTAL__';
/** Placeholders of a string field and a boolean field, replaced with `oddText`/`oddFlag` (valid values by default). */
const TEXT = '__TEXT__';
const FLAG = '__FLAG__';
/** Placeholder of an enum field (CF's app state), replaced with `oddState`. */
const STATE = '__STATE__';

const FLOAT_CASES = ['"odd-value-7f3c"', '1e400', '{"nested":"odd-value-7f3c"}'];
const INT_CASES = ['"odd-value-7f3c"', '2147483648', '12.75', '1e400'];
/** What must never appear in a response or a log line, whichever case runs. */
const LEAKS = ['odd-value-7f3c', '2147483648', '12.75', 'Infinity', '1e400'];

const cycleImage = (id: string, odd: boolean) => ({
  id,
  hub_id: 'abcdefabcdefabcdefabcdef',
  name: odd ? TEXT : `image-${id.slice(-1)}`,
  size: odd ? ODD : 10,
  backend: { provider: 'cycle', size: odd ? ODD : 10, file_name: 'f', file_id: 'i' },
  config: {
    user: '',
    ports: odd && portsNotAList ? ODD : [{ host: odd ? ODD : 80, container: odd ? ODD : 8080, type: 'tcp' }],
    env: {},
    labels: {},
    workdir: '',
    signal_stop: '',
  },
  source: { type: 'direct', details: { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', origin: { type: 'docker-file', details: {} } } },
  state: { current: 'live', changed: '2026-01-01T00:00:00Z' },
  events: { created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z', deleted: '0001-01-01T00:00:00Z' },
});

const cfPackages = {
  pagination: {
    total_results: TOTAL,
    total_pages: 1,
    first: { href: 'x' },
    last: { href: 'x' },
    next: null,
    previous: null,
  },
  resources: [
    {
      guid: 'pkg-1',
      type: 'bits',
      state: 'READY',
      data: { checksum: { type: 'sha256', value: null }, error: null },
      relationships: { app: { data: { guid: 'app-1' } } },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      metadata: { labels: {}, annotations: {} },
    },
  ],
};

const cfApps = {
  pagination: { ...cfPackages.pagination, total_results: 1 },
  resources: [
    {
      guid: 'app-1',
      name: TEXT,
      state: STATE,
      lifecycle: { type: 'buildpack', data: { buildpacks: [], stack: 'cflinuxfs4' } },
      relationships: { space: { data: { guid: 'space-1' } } },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      metadata: { labels: {}, annotations: {} },
    },
  ],
};

const dcMeta = { limit: 25, offset: 0, next: null, previous: null, total_count: TOTAL };
const dcRepositories = {
  meta: dcMeta,
  objects: [
    {
      name: 'quay.io/acme/api',
      in_use: false,
      registry: '/api/repo/v1/registry/quay.io/',
      resource_uri: '/api/repo/v1/repository/quay.io/acme/api/',
      star_count: ODD,
    },
  ],
};
const dcRegistries = {
  meta: dcMeta,
  objects: [
    {
      host: 'quay.io',
      name: TEXT,
      port: ODD,
      is_ssl: FLAG,
      is_docker_registry: false,
      resource_uri: '/api/repo/v1/registry/quay.io/',
    },
  ],
};

let oddToken = '0';
let oddText = '"image-1"';
let oddFlag = 'true';
let oddState = '"STARTED"';
/** Whether the odd image's `config.ports` is the odd value itself rather than a list of ports holding it. */
let portsNotAList = false;
let upstream: Server;
let upstreamUrl: string;

function body(request: string): unknown {
  if (request.includes('/v1/images'))
    return {
      data: [cycleImage('aaaaaaaaaaaaaaaaaaaaaaa1', true), cycleImage('aaaaaaaaaaaaaaaaaaaaaaa2', false)],
      includes: {},
    };
  if (request.includes('/v3/packages')) return cfPackages;
  if (request.includes('/v3/apps')) return cfApps;
  if (request.includes('/repository/')) return dcRepositories;
  if (request.includes('/registry/')) return dcRegistries;
  return undefined;
}

beforeAll(async () => {
  upstream = createServer((request, response) => {
    const answer = body(request.url ?? '');

    if (answer === undefined) return void response.writeHead(404).end('{}');
    const total = typeof JSON.parse(oddToken) === 'number' ? oddToken : '3';
    const text = JSON.stringify(answer).split(`"${ODD}"`).join(oddToken).split(`"${TOTAL}"`).join(total);
    const filled = text.split(`"${TEXT}"`).join(oddText).split(`"${FLAG}"`).join(oddFlag);
    const withState = filled.split(`"${STATE}"`).join(oddState);
    response.writeHead(200, { 'content-type': 'application/json' }).end(withState);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream?.closeAllConnections();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

interface Started {
  endpoint: string;
  logLines: string[];
  gateway: Gateway;
}

async function startGateway(env: Record<string, string> = {}): Promise<Started> {
  const logLines: string[] = [];
  const config = parseConfig({
    CYCLE_API_URL: upstreamUrl,
    CYCLE_API_KEY: 'invalid-number-test-key',
    CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
    CF_API_URL: upstreamUrl,
    CF_TOKEN: 'invalid-number-cf-token',
    DOCKER_CLOUD_API_URL: upstreamUrl,
    DOCKER_CLOUD_USERNAME: 'numbers',
    DOCKER_CLOUD_API_KEY: 'invalid-number-dc-key',
    ...env,
  });
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  const gateway = createGateway(config, { logger });
  return { endpoint: `${await gateway.listen(0, '127.0.0.1')}/graphql`, logLines, gateway };
}

/** The response as text (to look for the value anywhere) and parsed. */
async function post(endpoint: string, query: string): Promise<{ text: string; json: any }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { text, json: JSON.parse(text) };
}

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
}

const upstreamError = (upstream: string, upstreamField: string, path: (string | number)[]) =>
  expect.objectContaining({
    path,
    extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR', upstream, upstreamField }),
  });

describe.each([false, true])('development mode %s', (development) => {
  let started: Started;
  beforeAll(async () => {
    started = await startGateway(development ? { NODE_ENV: 'development' } : {});
  });
  afterAll(async () => {
    await started?.gateway.close();
  });

  it.each(FLOAT_CASES)('Cycle image sizes and ports sent %s fail only those fields', async (token) => {
    oddToken = token;
    const { text, json } = await post(
      started.endpoint,
      `{ a: images(first: 2) { nodes { id size } }
         b: images(first: 2) { nodes { id backend { size } } }
         c: images(first: 2) { nodes { id config { ports { host } } } }
         d: images(first: 2) { nodes { id config { ports { container type } } } } }`,
    );
    expectNoLeak(text);
    // The fields are non-null: each failure nulls the list it is in (GraphQL's rule), never another selection.
    expect(json.errors).toHaveLength(4);
    expect(json.errors).toEqual(
      expect.arrayContaining([
        upstreamError('cycle', 'size', ['a', 'nodes', 0, 'size']),
        upstreamError('cycle', 'backend.size', ['b', 'nodes', 0, 'backend', 'size']),
        upstreamError('cycle', 'config.ports.0.host', ['c', 'nodes', 0, 'config', 'ports', 0, 'host']),
        upstreamError('cycle', 'config.ports.0.container', ['d', 'nodes', 0, 'config', 'ports', 0, 'container']),
      ]),
    );
    expect(json.errors.map((e: { message: string }) => e.message)).toContain(
      'Cycle sent a value the graph cannot express at size: not a number',
    );
    expect(json.data).toEqual({ a: null, b: null, c: null, d: null });
    oddToken = '7';
    const clean = await post(started.endpoint, `{ images(first: 2) { nodes { size config { ports { host } } } } }`);
    expect(clean.json).toEqual({
      data: {
        images: {
          nodes: [
            { size: 7, config: { ports: [{ host: 7 }] } },
            { size: 10, config: { ports: [{ host: 80 }] } },
          ],
        },
      },
    });
  });

  it('a Cycle image whose ports are not a list fails only its ports', async () => {
    oddToken = '{"odd":"odd-value-7f3c"}';
    portsNotAList = true;
    try {
      const { text, json } = await post(
        started.endpoint,
        `{ images(first: 2) { nodes { id config { user ports { host } } } } }`,
      );
      expectNoLeak(text);
      expect(json.errors).toEqual([upstreamError('cycle', 'config.ports', ['images', 'nodes', 0, 'config', 'ports'])]);
    } finally {
      portsNotAList = false;
    }
  });

  it.each(INT_CASES)('CF and Docker Cloud counts and ports sent %s fail only those fields', async (token) => {
    oddToken = token;
    const { text, json } = await post(
      started.endpoint,
      `{ packages(first: 1) { totalCount }
         cfNodes: packages(first: 1) { nodes { guid } }
         repositories(first: 1) { totalCount }
         stars: repositories(first: 1) { nodes { name starCount } }
         registries(first: 1) { totalCount }
         ports: registries(first: 1) { nodes { host port } } }`,
    );
    expectNoLeak(text);
    const totalsFail = typeof JSON.parse(token) === 'number';
    expect(json.data).toEqual({
      packages: totalsFail ? null : { totalCount: 3 },
      cfNodes: { nodes: [{ guid: 'pkg-1' }] },
      repositories: totalsFail ? null : { totalCount: 3 },
      stars: { nodes: [{ name: 'quay.io/acme/api', starCount: null }] },
      registries: totalsFail ? null : { totalCount: 3 },
      ports: { nodes: [{ host: 'quay.io', port: null }] },
    });
    const expected = [
      upstreamError('dockercloud', 'star_count', ['stars', 'nodes', 0, 'starCount']),
      upstreamError('dockercloud', 'port', ['ports', 'nodes', 0, 'port']),
      ...(totalsFail
        ? [
            upstreamError('cf', 'pagination.total_results', ['packages', 'totalCount']),
            upstreamError('dockercloud', 'meta.total_count', ['repositories', 'totalCount']),
            upstreamError('dockercloud', 'meta.total_count', ['registries', 'totalCount']),
          ]
        : []),
    ];
    expect(json.errors).toHaveLength(expected.length);
    expect(json.errors).toEqual(expect.arrayContaining(expected));
  });

  it.each(['{"odd":"odd-value-7f3c"}', '12.75', '["odd-value-7f3c"]'])(
    'string and boolean fields sent %s fail only those fields',
    async (token) => {
      oddToken = '7';
      oddText = token;
      oddFlag = token;
      oddState = token;
      const { text, json } = await post(
        started.endpoint,
        `{ a: images(first: 2) { nodes { id name } }
           b: images(first: 2) { nodes { id size } }
           c: registries(first: 1) { nodes { name } }
           d: registries(first: 1) { nodes { isSsl } }
           e: registries(first: 1) { nodes { host port isDockerRegistry } }
           f: packages(first: 1) { nodes { guid app { name } } }
           g: packages(first: 1) { nodes { guid app { state } } }
           h: packages(first: 1) { nodes { guid app { guid lifecycle { stack } } } } }`,
      );
      expectNoLeak(text);
      // The fields are non-null: each failure nulls the list it is in (GraphQL's rule), never another selection,
      // and the same items answer every field the upstream sent right.
      expect(json.data).toEqual({
        a: null,
        b: {
          nodes: [
            { id: 'aaaaaaaaaaaaaaaaaaaaaaa1', size: 7 },
            { id: 'aaaaaaaaaaaaaaaaaaaaaaa2', size: 10 },
          ],
        },
        c: null,
        d: null,
        e: { nodes: [{ host: 'quay.io', port: 7, isDockerRegistry: false }] },
        f: { nodes: [{ guid: 'pkg-1', app: null }] },
        g: { nodes: [{ guid: 'pkg-1', app: null }] },
        h: { nodes: [{ guid: 'pkg-1', app: { guid: 'app-1', lifecycle: { stack: 'cflinuxfs4' } } }] },
      });
      const expected = [
        upstreamError('cycle', 'name', ['a', 'nodes', 0, 'name']),
        upstreamError('dockercloud', 'name', ['c', 'nodes', 0, 'name']),
        upstreamError('dockercloud', 'is_ssl', ['d', 'nodes', 0, 'isSsl']),
        upstreamError('cf', 'name', ['f', 'nodes', 0, 'app', 'name']),
        upstreamError('cf', 'state', ['g', 'nodes', 0, 'app', 'state']),
      ];
      expect(json.errors).toHaveLength(expected.length);
      expect(json.errors).toEqual(expect.arrayContaining(expected));
      expect(json.errors.map((e: { message: string }) => e.message)).toContain(
        'Docker Cloud sent a value the graph cannot express at is_ssl: not a boolean',
      );
      expectNoLeak(started.logLines.join('\n'));
      oddText = '"image-1"';
      oddFlag = 'true';
      oddState = '"STARTED"';
      const clean = await post(
        started.endpoint,
        `{ images(first: 1) { nodes { name } } registries(first: 1) { nodes { name isSsl } } }`,
      );
      expect(clean.json).toEqual({
        data: { images: { nodes: [{ name: 'image-1' }] }, registries: { nodes: [{ name: 'image-1', isSsl: true }] } },
      });
    },
  );

  it('a CF app state the graph has no value for fails only App.state', async () => {
    oddState = '"CRASHED"';
    try {
      const { json } = await post(started.endpoint, `{ packages(first: 1) { nodes { app { guid state } } } }`);
      expect(json.data).toEqual({ packages: { nodes: [{ app: null }] } });
      expect(json.errors).toEqual([upstreamError('cf', 'state', ['packages', 'nodes', 0, 'app', 'state'])]);
    } finally {
      oddState = '"STARTED"';
    }
  });

  it('masks a value no decoder checks (a string field sent an object), in the response and the log', async () => {
    oddToken = '{"odd":"odd-value-7f3c"}';
    // The value sits in a field read as-is: Docker Cloud's repository name.
    const original = dcRepositories.objects[0]!.name;
    dcRepositories.objects[0]!.name = ODD;
    try {
      const named = await post(started.endpoint, `{ repositories(first: 1) { nodes { name } } }`);
      expectNoLeak(named.text);
      expect(named.json.errors).toEqual([
        expect.objectContaining({
          path: ['repositories', 'nodes', 0, 'name'],
          message: development ? 'String cannot represent value (the value is not shown)' : 'Internal server error',
          extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }),
        }),
      ]);
    } finally {
      dcRepositories.objects[0]!.name = original;
    }
    const log = started.logLines.join('\n');
    expect(log).toContain('unexpected error');
    expectNoLeak(log);
  });
});
