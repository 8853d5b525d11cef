/**
 * How answers go out over HTTP: one body with its length in bytes (never chunked framing), and the content type the
 * client's Accept header chose.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const post = (query: string, accept?: string) =>
  fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify({ query }),
  });

it('sends each answer whole, with its length in bytes, non-ASCII text included', async () => {
  // A data answer, and an error answer quoting a two-byte character.
  for (const query of ['{ images(first: 20) { nodes { id name } } }', '{ imagé }']) {
    const res = await post(query);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(expect.objectContaining(query.includes('é') ? { errors: expect.any(Array) } : { data: expect.any(Object) }));
  }
});

it('answers in the JSON type the Accept header prefers, the same every time', async () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'application/json'],
    ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
    ['application/json', 'application/json'],
    ['*/*', 'application/json'],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [accept, type] of cases) {
      const res = await post('{ __typename }', accept);
      expect([accept, res.status, res.headers.get('content-type')]).toEqual([accept, 200, `${type}; charset=utf-8`]);
    }
  }
  const refused = await post('{ __typename }', 'image/png');
  expect(refused.status).toBe(406);
});
