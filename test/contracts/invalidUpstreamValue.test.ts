/**
 * One odd value fails only its field: a Cycle image list where one image's OCI origin has a webhook URL without a
 * scheme answers the whole list, with one UPSTREAM_ERROR at that image's `host` naming Cycle and the response field.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { createServer as createGateway, type Gateway } from '../../src/server.js';
import { postGraphQL } from '../helpers/gateway.js';

const image = (id: string, webhookUrl: string) => ({
  id,
  hub_id: 'abcdefabcdefabcdefabcdef',
  name: `image-${id.slice(-1)}`,
  size: 1,
  backend: { provider: 'cycle', size: 1, file_name: 'f', file_id: 'i' },
  config: { user: '', ports: [], env: {}, labels: {}, workdir: '', signal_stop: '' },
  source: {
    type: 'direct',
    details: {
      id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      origin: {
        type: 'oci-registry',
        details: {
          target: 'acme/api:1',
          url: 'https://registry.example',
          auth: { type: 'webhook', details: { url: webhookUrl } },
        },
      },
    },
  },
  state: { current: 'live', changed: '2026-01-01T00:00:00Z' },
  events: { created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z', deleted: '0001-01-01T00:00:00Z' },
});

let cycle: Server;
let gateway: Gateway;
let endpoint: string;

beforeAll(async () => {
  cycle = createServer((_request, response) => {
    const data = [
      image('aaaaaaaaaaaaaaaaaaaaaaa1', 'hooks.example/token'),
      image('aaaaaaaaaaaaaaaaaaaaaaa2', 'https://hooks.example/t'),
    ];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, includes: {} }));
  });
  await new Promise<void>((resolve) => cycle.listen(0, '127.0.0.1', resolve));
  const config = parseConfig({
    CYCLE_API_URL: `http://127.0.0.1:${(cycle.address() as AddressInfo).port}`,
    CYCLE_API_KEY: 'invalid-value-test-key',
    CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
  });
  gateway = createGateway(config, { logger: createLogger({ level: 'silent' }) });
  endpoint = `${await gateway.listen(0, '127.0.0.1')}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  cycle?.closeAllConnections();
  await new Promise<void>((resolve) => cycle?.close(() => resolve()));
});

it('answers the list, failing only the webhook host of the image whose URL has no scheme', async () => {
  const query = `{ images(first: 2) { nodes { id name origin { origin { ... on OciRegistryOrigin { url auth { ... on OciWebhookAuth { host } } } } } } } }`;
  const response = await postGraphQL<any>(endpoint, query);
  expect(response.data?.images.nodes).toEqual([
    {
      id: 'aaaaaaaaaaaaaaaaaaaaaaa1',
      name: 'image-1',
      origin: { origin: { url: 'https://registry.example', auth: { host: null } } },
    },
    {
      id: 'aaaaaaaaaaaaaaaaaaaaaaa2',
      name: 'image-2',
      origin: { origin: { url: 'https://registry.example', auth: { host: 'hooks.example' } } },
    },
  ]);
  expect(response.errors).toEqual([
    expect.objectContaining({
      message:
        'Cycle sent a value the graph cannot express at origin.details.auth.details.url: not an absolute URL with a host',
      path: ['images', 'nodes', 0, 'origin', 'origin', 'auth', 'host'],
      extensions: expect.objectContaining({
        code: 'UPSTREAM_ERROR',
        upstream: 'cycle',
        upstreamField: 'origin.details.auth.details.url',
      }),
    }),
  ]);
});
