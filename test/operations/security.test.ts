import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { codes, postGraphQL, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const TOKEN = 'gateway-token-0123456789';

describe('gateway tokens', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { GATEWAY_TOKENS: `other-token-abcdefghijkl,${TOKEN}` } });
  });
  afterAll(() => gw.close());

  it('refuses GraphQL without a valid token, and answers with one', async () => {
    const without = await gw.gql(`{ __typename }`);
    expect(without.status).toBe(401);
    expect(codes(without)).toEqual(['UNAUTHENTICATED']);
    const wrong = await gw.gql(`{ __typename }`, {}, { authorization: 'Bearer gateway-token-0123456780' });
    expect(wrong.status).toBe(401);
    const right = await gw.gql(`{ __typename }`, {}, { authorization: `Bearer ${TOKEN}` });
    expect(right.data).toEqual({ __typename: 'Query' });
    expect(JSON.stringify([without, wrong])).not.toContain(TOKEN);
  });

  it('keeps health checks open', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});

describe('configuration', () => {
  it('refuses service credentials beyond loopback without gateway tokens', () => {
    const env = { HOST: '0.0.0.0', CF_API_URL: 'https://api.example.org', CF_TOKEN: 'service-token' };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(/GATEWAY_TOKENS/);
    expect(parseConfig({ ...env, GATEWAY_TOKENS: TOKEN }).gatewayTokens).toEqual([TOKEN]);
    expect(parseConfig({ ...env, HOST: '127.0.0.1' }).gatewayTokens).toEqual([]);
  });
});

describe('CORS', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => gw.close());

  it('answers preflights for allowed origins and leaves others without CORS headers', async () => {
    const preflight = await fetch(`${gw.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-cycle-authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-cycle-authorization');
    const other = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('secret scrubbing', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('removes secret inputs from error messages, even when graphql-js quotes them back', async () => {
    const secret = 'hunter2-super-secret-token';
    const res = await postGraphQL<Record<string, any>>(
      `${gw.url}/graphql`,
      `mutation($input: CreateImageSourceInput!) { createImageSource(input: $input) { id } }`,
      {
        input: { name: 'x', origin: { dockerHub: { target: 'a:b', token: { nested: secret } } } },
      },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toContain('[REDACTED]');
    expect(JSON.stringify(res)).not.toContain(secret);
  });

  it('removes forwarded credentials from error messages', async () => {
    const key = 'forwarded-cycle-key-123456';
    const res = await gw.gql(
      `query($id: ID!) { image(id: $id) { id } }`,
      { id: key },
      { 'x-cycle-authorization': key, 'x-cycle-hub-id': '651586fca6078e98982dbd90' },
    );
    expect(JSON.stringify(res)).not.toContain(key);
  });
});
