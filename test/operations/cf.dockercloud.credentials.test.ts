import { expect, it } from 'vitest';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/index.js';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const QUERY = `{ __typename packages(first: 2) { totalCount } repositories(first: 2) { totalCount } }`;
const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

const gw = useTestGateway({ sandbox: { secondTenant: true }, config: (c) => ({ ...c, serviceCredentials: {} }) });

it('fails CF and Docker Cloud fields with UNAUTHENTICATED before any request when no credentials are at hand', async () => {
  const res = await gw.gql(QUERY);
  expect(res.data).toEqual({ __typename: 'Query', packages: null, repositories: null });
  expect(res.errors!.map((e) => e.extensions!.upstream).sort()).toEqual(['cf', 'dockercloud']);
  expect(codes(res)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  expect(gw.sandbox.cf.requests()).toHaveLength(0);
  expect(gw.sandbox.dockercloud.requests()).toHaveLength(0);
});

it('uses forwarded CF and Docker Cloud credentials, each caller seeing its own data', async () => {
  const demo = await gw.gql(
    QUERY,
    {},
    {
      'x-cf-authorization': DEMO_TENANT.cf.token,
      'x-dockercloud-authorization': basic(DEMO_TENANT.dockercloud.username, DEMO_TENANT.dockercloud.apiKey),
    },
  );
  const second = await gw.gql(
    QUERY,
    {},
    {
      'x-cf-authorization': `bearer ${SECOND_TENANT.cf.token}`,
      'x-dockercloud-authorization': basic(SECOND_TENANT.dockercloud.username, SECOND_TENANT.dockercloud.apiKey),
    },
  );
  expect(demo.errors).toBeUndefined();
  expect(second.errors).toBeUndefined();
  expect(demo.data!.packages.totalCount).toBe(72);
  expect(second.data!.packages.totalCount).toBe(16);
  expect(demo.data!.repositories.totalCount).not.toBe(second.data!.repositories.totalCount);
});

it('maps refused credentials to UNAUTHENTICATED with the upstream’s code', async () => {
  const res = await gw.gql(
    QUERY,
    {},
    { 'x-cf-authorization': 'not-a-token', 'x-dockercloud-authorization': basic('nobody', 'wrong') },
  );
  expect(codes(res)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  const cf = res.errors!.find((e) => e.extensions!.upstream === 'cf')!;
  expect(cf.extensions).toMatchObject({ status: 401, upstreamCode: 'CF-InvalidAuthToken' });
  expect(JSON.stringify(res)).not.toContain('not-a-token');
});

it.each([
  ['no Basic scheme', DEMO_TENANT.dockercloud.apiKey, 'must be `Basic base64(username:apikey)`'],
  ['credentials that are not base64', 'Basic not*base64!', 'its credentials are not base64'],
  [
    'no colon',
    `Basic ${Buffer.from(DEMO_TENANT.dockercloud.apiKey).toString('base64')}`,
    'no `:` between username and API key',
  ],
  ['an empty username', basic('', DEMO_TENANT.dockercloud.apiKey), 'the username is empty'],
  ['an empty API key', basic(DEMO_TENANT.dockercloud.username, ''), 'the API key is empty'],
])(
  'refuses a Docker Cloud header with %s (BAD_USER_INPUT, before any request); CF still answers',
  async (_l, value, problem) => {
    gw.sandbox.resetRequests();
    const res = await gw.gql(
      QUERY,
      {},
      { 'x-cf-authorization': DEMO_TENANT.cf.token, 'x-dockercloud-authorization': value },
    );
    expect(res.data!.repositories).toBeNull();
    expect(res.data!.packages.totalCount).toBe(72);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions).toMatchObject({ upstream: 'dockercloud' });
    expect(res.errors![0]!.message).toContain(
      `x-dockercloud-authorization ${problem.startsWith('must') ? '' : 'must be `Basic base64(username:apikey)`: '}${problem}`,
    );
    expect(JSON.stringify(res)).not.toContain(DEMO_TENANT.dockercloud.apiKey);
    expect(gw.sandbox.dockercloud.requests()).toHaveLength(0);
  },
);

it('refuses a CF header under another scheme, naming it', async () => {
  gw.sandbox.resetRequests();
  const res = await gw.gql(QUERY, {}, { 'x-cf-authorization': `Basic ${DEMO_TENANT.cf.token}` });
  expect(res.data!.packages).toBeNull();
  const cf = res.errors!.find((e) => e.extensions!.upstream === 'cf')!;
  expect(cf.extensions!.code).toBe('BAD_USER_INPUT');
  expect(cf.message).toContain('x-cf-authorization must be a UAA token');
  expect(JSON.stringify(res)).not.toContain(DEMO_TENANT.cf.token);
  expect(gw.sandbox.cf.requests()).toHaveLength(0);
});

it('names each caller’s own namespace, so one repository name read by two tenants has two keys and two ids', async () => {
  const own = `{ repositories(first: 100) { nodes { namespace name nodeId } } }`;
  const read = async (tenant: typeof DEMO_TENANT) =>
    (
      await gw.gql(
        own,
        {},
        {
          'x-dockercloud-authorization': basic(tenant.dockercloud.username, tenant.dockercloud.apiKey),
        },
      )
    ).data!.repositories.nodes as { namespace: string; name: string; nodeId: string }[];
  const [demo, second] = await Promise.all([read(DEMO_TENANT), read(SECOND_TENANT)]);
  expect(new Set(demo.map((r) => r.namespace))).toEqual(new Set([DEMO_TENANT.dockercloud.username]));
  expect(new Set(second.map((r) => r.namespace))).toEqual(new Set([SECOND_TENANT.dockercloud.username]));
  const shared = demo.filter((r) => second.some((s) => s.name === r.name));
  expect(shared.length).toBeGreaterThan(0);
  for (const repository of shared)
    expect(second.find((s) => s.name === repository.name)!.nodeId).not.toBe(repository.nodeId);
  // The named own namespace reads back as the caller's own, with the same request as no namespace.
  gw.sandbox.resetRequests();
  // Docker Cloud names ignore case: the user's name in capitals is still the caller's own.
  const named = await gw.gql(
    `query ($a: String, $b: String, $name: String!) {
      a: repository(name: $name, namespace: $a) { namespace nodeId }
      b: repository(name: $name, namespace: $b) { namespace nodeId } }`,
    { a: DEMO_TENANT.dockercloud.username, b: DEMO_TENANT.dockercloud.username.toUpperCase(), name: shared[0]!.name },
    { 'x-dockercloud-authorization': basic(DEMO_TENANT.dockercloud.username, DEMO_TENANT.dockercloud.apiKey) },
  );
  const ownRead = { namespace: DEMO_TENANT.dockercloud.username, nodeId: shared[0]!.nodeId };
  expect(named.data).toEqual({ a: ownRead, b: ownRead });
  expect(gw.sandbox.dockercloud.requests().map((r) => r.path)).toEqual([`/api/repo/v1/repository/${shared[0]!.name}/`]);
});
