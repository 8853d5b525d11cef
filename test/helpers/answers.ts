/**
 * Checks of how a gateway's answers go out over HTTP, shared by the tests of the sources (httpAnswers.test.ts) and of
 * the build (quickStart.test.ts), so both run the same checks on the same dependency code.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { expect } from 'vitest';

/** Accept headers and the JSON type each should get. */
const ACCEPT_CASES: [string | undefined, string][] = [
  [undefined, 'application/json'],
  ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
  ['application/json', 'application/json'],
  ['*/*', 'application/json'],
];

/** Posts a query as JSON, with the given Accept header or none, and gives the raw response. */
export function postQuery(baseUrl: string, query: string, accept?: string): Promise<Response> {
  return fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify({ query }),
  });
}

/** Each Accept header gets its type, twice over, and `image/png` a 406. */
export async function expectNegotiatedTypes(baseUrl: string): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const [accept, type] of ACCEPT_CASES) {
      const res = await postQuery(baseUrl, '{ __typename }', accept);
      expect([accept, res.status, res.headers.get('content-type')]).toEqual([accept, 200, `${type}; charset=utf-8`]);
    }
  }
  expect((await postQuery(baseUrl, '{ __typename }', 'image/png')).status).toBe(406);
}

/**
 * An HTTP/1.0 client asking to keep its connection gets the answer's length and keeps the connection: node:http
 * measures answers itself only for HTTP/1.1.
 */
export async function expectHttp10AnswerWithLength(baseUrl: string): Promise<void> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const body = JSON.stringify({ query: '{ __typename }' });
  socket.write(
    `POST /graphql HTTP/1.0\r\nhost: ${hostname}\r\nconnection: keep-alive\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
  let received = '';
  socket.setEncoding('latin1');
  // The answer is complete once the bytes after the head reach its Content-Length (or the server closes).
  await new Promise<void>((resolve) => {
    const done = () => {
      socket.off('data', onData);
      resolve();
    };
    const onData = (chunk: string) => {
      received += chunk;
      const [head, rest] = received.split('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(head ?? '');
      if (rest !== undefined && length && Buffer.byteLength(rest, 'latin1') >= Number(length[1])) done();
    };
    socket.on('data', onData).once('close', done);
  });
  const [head, rest] = received.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 200 /);
  expect(head).toMatch(new RegExp(`\\r\\ncontent-length: ${Buffer.byteLength(rest ?? '', 'latin1')}\\r\\n`, 'i'));
  expect(head).toMatch(/\r\nconnection: keep-alive\r\n/i);
  expect(JSON.parse(rest ?? '')).toEqual(expect.objectContaining({ data: { __typename: 'Query' } }));
  expect(socket.destroyed).toBe(false);
  socket.destroy();
}
