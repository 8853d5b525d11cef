// The client cache configuration, as `npm run client-config` prints it and the gateway serves it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/clientConfig.js';
import { buildSchema } from '../../src/schema.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const expected = clientConfig(buildSchema());

it('lists every abstract type, every entity key and the object types without an identity', () => {
  expect(expected.possibleTypes.Node).toEqual([
    'App',
    'CfJob',
    'CycleJob',
    'Image',
    'ImageSource',
    'Package',
    'Registry',
    'Repository',
  ]);
  expect(expected.typePolicies.Repository).toEqual({ keyFields: ['namespace', 'name'] });
  expect(expected.embeddedTypes).toEqual(expect.arrayContaining(['PageInfo', 'ImageFactory', 'ImageEdge']));
  expect(expected.identifiedTypes).toEqual(expect.arrayContaining(['CycleJob', 'AccountCreator', 'PlatformCreator']));
  expect(expected.possibleTypes.AnyCreator).toHaveLength(7);
  // Every connection field, with the arguments that tell lists apart.
  expect(expected.connections).toContainEqual({ type: 'Query', field: 'images', keyArgs: ['filter', 'sort'] });
  expect(expected.connections).toContainEqual({ type: 'ImageSource', field: 'images', keyArgs: ['filter', 'sort'] });
  expect(expected.connections).toContainEqual({ type: 'Query', field: 'packages', keyArgs: ['filter', 'orderBy'] });
  expect(expected.connections).toHaveLength(11);
  // Types with an `id` are identified by it, root types are never records.
  for (const type of ['CycleJob', 'AccountCreator', 'Image', 'Query', 'Mutation', 'Subscription'])
    expect(expected.embeddedTypes).not.toContain(type);
});

it('prints the same configuration with npm run client-config', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/printClientConfig.ts']);
  expect(JSON.parse(stdout)).toEqual(expected);
});

describe('/client-config.json', () => {
  let gw: TestGateway;
  let closed: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { GATEWAY_TOKENS: 'client-config-reader-token' } });
    closed = await startTestGateway({ env: { INTROSPECTION: 'false' } });
  });
  afterAll(() => Promise.all([gw.close(), closed.close()]));

  it('is served to the callers /graphql serves, and only read', async () => {
    const authorized = { authorization: 'Bearer client-config-reader-token' };
    const served = await fetch(`${gw.url}/client-config.json`, { headers: authorized });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('application/json');
    expect(await served.json()).toEqual(expected);
    expect((await fetch(`${gw.url}/client-config.json`)).status).toBe(401);
    const posted = await fetch(`${gw.url}/client-config.json`, { method: 'POST', headers: authorized });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is not served when introspection is off, since it names the schema’s types', async () => {
    const response = await fetch(`${closed.url}/client-config.json`);
    expect(response.status).toBe(404);
  });
});
