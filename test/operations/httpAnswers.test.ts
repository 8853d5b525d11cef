/**
 * How answers go out over HTTP: one body with its length in bytes (never chunked framing, HTTP/1.0 included), and the
 * content type the client's Accept header chose.
 */
import { expect, it } from 'vitest';
import { expectHttp10AnswerWithLength, expectNegotiatedTypes, postQuery } from '../helpers/answers.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();

it('sends each answer whole, with its length in bytes, non-ASCII text included', async () => {
  // A data answer, and an error answer quoting a two-byte character.
  for (const query of ['{ images(first: 20) { nodes { id name } } }', '{ imagé }']) {
    const res = await postQuery(gw.url, query);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(
      expect.objectContaining(query.includes('é') ? { errors: expect.any(Array) } : { data: expect.any(Object) }),
    );
  }
});

it('answers in the JSON type the Accept header prefers, the same every time', async () => {
  await expectNegotiatedTypes(gw.url);
});

it('gives HTTP/1.0 clients the length too, so that they can keep their connection', async () => {
  await expectHttp10AnswerWithLength(gw.url);
});
