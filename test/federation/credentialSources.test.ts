// `<UPSTREAM>_CREDENTIALS=forwarded|service|either` and the refusal of router traffic that forwards no credentials,
// against the sandbox (whose demo credentials are the gateway's service credentials).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/index.js';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { watch, wsClient } from '../helpers/subscriptions.js';

const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const QUERY = `{ packages(first: 1) { totalCount } repositories(first: 1) { totalCount } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Package { guid } } }`;
const warnings = (gw: TestGateway) => gw.logLines.filter((l) => String(l.msg).startsWith('router request ('));

describe('either (the default): forwarded first, then the service credentials, but not for routers', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // `refused` is the default with real upstreams; the sandbox's demo credentials default to `allowed`.
    gw = await startTestGateway({ sandbox: { secondTenant: true }, env: { ROUTER_SERVICE_CREDENTIALS: 'refused' } });
  });
  afterAll(() => gw.close());

  it('refuses router traffic without forwarded credentials, before any upstream request, and logs it once', async () => {
    const list = await gw.gql(`{ packages(first: 1) { nodes { guid } } }`);
    const r = [{ __typename: 'Package', guid: list.data!.packages.nodes[0].guid }];
    const withCredentials = await gw.gql(ENTITIES, { r }, { 'x-cf-authorization': DEMO_TENANT.cf.token });
    expect(withCredentials.errors).toBeUndefined();
    // A direct caller without credentials keeps the service fallback.
    expect((await gw.gql(`{ packages(first: 1) { totalCount } }`)).errors).toBeUndefined();
    // Composition reads `_service` without credentials.
    expect((await gw.gql('{ _service { sdl } }')).errors).toBeUndefined();
    expect(warnings(gw)).toEqual([]);

    const cfCalls = gw.sandbox.cf.requests().length;
    for (let i = 0; i < 3; i++) {
      const refused = await gw.gql(ENTITIES, { r });
      expect(refused.status).toBe(200);
      expect(codes(refused)).toEqual(['ROUTER_CREDENTIALS_MISSING']);
      const named = await gw.gql(QUERY, {}, { 'x-imagegraph-router': 'hive-gateway' });
      expect(codes(named)).toEqual(['ROUTER_CREDENTIALS_MISSING']);
      expect(named.data ?? null).toBeNull();
    }
    expect(gw.sandbox.cf.requests().length).toBe(cfCalls);
    const lines = warnings(gw);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      signal: '_entities',
      outcome: 'refused',
      upstreams: ['cycle', 'cf', 'dockercloud'],
    });
    expect(JSON.stringify(lines)).not.toContain(DEMO_TENANT.cf.token);
  });

  it('refuses a subscription from a router that names itself in connection_init but forwards no credentials', async () => {
    const client = wsClient(gw.url, { connectionParams: { 'x-imagegraph-router': 'hive-gateway' } });
    const watched = watch(client, `subscription { imageState(id: "66a263b53117c88aadfd452c") { id } }`);
    // graphql-ws refuses a subscription with an `error` message: its errors.
    const refusal = (await watched.ended.then(
      () => [],
      (errors: unknown) => errors,
    )) as { extensions?: { code?: string } }[];
    expect(watched.events).toEqual([]);
    expect(refusal.map((e) => e.extensions?.code)).toEqual(['ROUTER_CREDENTIALS_MISSING']);
    await client.dispose();
  });
});

describe('ROUTER_SERVICE_CREDENTIALS=allowed: the service account is meant for every caller', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { ROUTER_SERVICE_CREDENTIALS: 'allowed' } });
  });
  afterAll(() => gw.close());

  it('answers router traffic without credentials with the service credentials, and warns once', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await gw.gql(QUERY, {}, { 'x-imagegraph-router': 'grafbase-gateway' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.packages.totalCount).toBe(72);
    }
    expect(warnings(gw)).toHaveLength(1);
    expect(warnings(gw)[0]).toMatchObject({ signal: 'x-imagegraph-router', outcome: 'allowed' });
  });
});

describe('forwarded and service', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      sandbox: { secondTenant: true },
      env: { CF_CREDENTIALS: 'forwarded', DOCKER_CLOUD_CREDENTIALS: 'service', ROUTER_SERVICE_CREDENTIALS: 'refused' },
    });
  });
  afterAll(() => gw.close());

  it('forwarded: no service fallback, UNAUTHENTICATED before any request', async () => {
    const res = await gw.gql(QUERY);
    expect(res.data!.packages).toBeNull();
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors![0]!.extensions!.upstream).toBe('cf');
    expect(res.data!.repositories.totalCount).toBeGreaterThan(0);
    expect(gw.sandbox.cf.requests()).toHaveLength(0);
  });

  it('forwarded credentials answer; service: forwarded Docker Cloud credentials are ignored', async () => {
    const headers = {
      'x-cf-authorization': SECOND_TENANT.cf.token,
      'x-dockercloud-authorization': basic(SECOND_TENANT.dockercloud.username, SECOND_TENANT.dockercloud.apiKey),
    };
    const [asSecond, asService] = await Promise.all([gw.gql(QUERY, {}, headers), gw.gql(QUERY)]);
    expect(asSecond.data!.packages.totalCount).toBe(16);
    expect(asSecond.data!.repositories.totalCount).toBe(asService.data!.repositories.totalCount);
  });

  it('does not count upstreams set to forwarded or service: the deployment chose their source', async () => {
    const res = await gw.gql(ENTITIES, { r: [] });
    expect(codes(res)).toEqual(['ROUTER_CREDENTIALS_MISSING']);
    expect(warnings(gw).map((l) => l.upstreams)).toEqual([['cycle']]);
  });
});

describe('configuration', () => {
  it('refuses an unknown source, and `service` without the service credentials', () => {
    expect(() => parseConfig({ CF_CREDENTIALS: 'sometimes' })).toThrow(/CF_CREDENTIALS/);
    expect(() => parseConfig({ CYCLE_API_URL: 'http://127.0.0.1:9', CYCLE_CREDENTIALS: 'service' })).toThrow(
      /CYCLE_CREDENTIALS=service needs the service credentials/,
    );
    expect(parseConfig({}).credentialSources).toEqual({ cycle: 'either', cf: 'either', dockercloud: 'either' });
    expect(parseConfig({ CYCLE_API_URL: 'http://127.0.0.1:9' }).routerServiceCredentials).toBe('refused');
    expect(parseConfig({ SANDBOX: 'true' }).routerServiceCredentials).toBe('allowed');
    expect(() => parseConfig({ ROUTER_SERVICE_CREDENTIALS: 'sometimes' })).toThrow(/ROUTER_SERVICE_CREDENTIALS/);
  });
});
