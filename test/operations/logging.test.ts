import { expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ config: (c) => ({ ...c, serviceCredentials: {} }) });

it('writes one JSON line per request with its operation, outcome, upstream calls, codes and request id', async () => {
  const headers = {
    'x-cycle-authorization': DEMO_TENANT.cycle.apiKey,
    'x-cycle-hub-id': DEMO_TENANT.cycle.hubId,
    'x-request-id': 'req-abc.123',
  };
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: 'query ListImages { images(first: 2) { nodes { id } } }',
      operationName: 'ListImages',
    }),
  });
  expect(res.headers.get('x-request-id')).toBe('req-abc.123');
  const line = gw.logLines.find((l) => l.msg === 'graphql request' && l.requestId === 'req-abc.123');
  expect(line).toMatchObject({
    level: 'info',
    operationName: 'ListImages',
    operationType: 'query',
    outcome: 'success',
    upstreamCalls: 1,
    errorCodes: [],
  });
  expect(
    gw.logLines.some(
      (l) =>
        l.msg === 'upstream request' &&
        l.requestId === 'req-abc.123' &&
        l.upstream === 'cycle' &&
        l.path === '/v1/images',
    ),
  ).toBe(true);

  const generated = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ __typename }"}',
  });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('logs no credential or secret input, whatever the request carried', async () => {
  const secrets = ['forwarded-key-for-logging-test', 'a-password-in-a-mutation', 'token-in-literal-xyz'];
  await gw.gql(
    `{ images(first: 1) { nodes { id } } }`,
    {},
    {
      'x-cycle-authorization': secrets[0]!,
      'x-cycle-hub-id': DEMO_TENANT.cycle.hubId,
      authorization: `Bearer ${secrets[0]}`,
    },
  );
  await gw.gql(`mutation($input: CreateImageSourceInput!) { createImageSource(input: $input) { id } }`, {
    input: { name: 'x', origin: { dockerRegistry: { target: 'a:b', url: 'https://quay.io', password: secrets[1] } } },
  });
  await gw.gql(
    `mutation { createImageSource(input: { name: "x", origin: { dockerHub: { target: "a:b", token: "${secrets[2]}" } } }) { id } }`,
  );
  const text = JSON.stringify(gw.logLines);
  expect(gw.logLines.length).toBeGreaterThan(3);
  for (const secret of [...secrets, DEMO_TENANT.cycle.apiKey]) expect(text).not.toContain(secret);
});
