// `<UPSTREAM>_CREDENTIALS=forwarded|service|either` and the warning for router traffic that forwards no credentials,
// against the sandbox (whose demo credentials are the gateway's service credentials).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { DEMO_TENANT, SECOND_TENANT } from '../../src/sandbox/index.js';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const QUERY = `{ packages(first: 1) { totalCount } repositories(first: 1) { totalCount } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Package { guid } } }`;
const warnings = (gw: TestGateway) => gw.logLines.filter((l) => String(l.msg).startsWith('federation request ('));

describe('either (the default): forwarded first, then the service credentials', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { secondTenant: true } });
  });
  afterAll(() => gw.close());

  it('warns once, naming no secret, when router traffic arrives without forwarded credentials', async () => {
    const list = await gw.gql(`{ packages(first: 1) { nodes { guid } } }`);
    const r = [{ __typename: 'Package', guid: list.data!.packages.nodes[0].guid }];
    await gw.gql(ENTITIES, { r }, { 'x-cf-authorization': DEMO_TENANT.cf.token });
    await gw.gql(`{ packages(first: 1) { totalCount } }`);
    expect(warnings(gw)).toEqual([]);

    for (let i = 0; i < 3; i++) expect((await gw.gql(ENTITIES, { r })).errors).toBeUndefined();
    await gw.gql('{ _service { sdl } }');
    const lines = warnings(gw);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', field: '_entities', upstreams: ['cycle', 'cf', 'dockercloud'] });
    expect(String(lines[0]!.msg)).toContain('<UPSTREAM>_CREDENTIALS=forwarded');
    expect(JSON.stringify(lines)).not.toContain(DEMO_TENANT.cf.token);
  });
});

describe('forwarded and service', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      sandbox: { secondTenant: true },
      env: { CF_CREDENTIALS: 'forwarded', DOCKER_CLOUD_CREDENTIALS: 'service' },
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

  it('does not warn about router traffic for the upstreams that only take forwarded credentials', async () => {
    await gw.gql(ENTITIES, { r: [] });
    expect(warnings(gw).map((l) => l.upstreams)).toEqual([['cycle', 'dockercloud']]);
  });
});

describe('configuration', () => {
  it('refuses an unknown source, and `service` without the service credentials', () => {
    expect(() => parseConfig({ CF_CREDENTIALS: 'sometimes' })).toThrow(/CF_CREDENTIALS/);
    expect(() => parseConfig({ CYCLE_API_URL: 'http://127.0.0.1:9', CYCLE_CREDENTIALS: 'service' })).toThrow(
      /CYCLE_CREDENTIALS=service needs the service credentials/,
    );
    expect(parseConfig({}).credentialSources).toEqual({ cycle: 'either', cf: 'either', dockercloud: 'either' });
  });
});
