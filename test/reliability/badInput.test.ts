/** The bad-input corpus (issue 6): each input gets a clear error with a stable code, and the server keeps answering. */
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const unexpected: unknown[] = [];
const gw = useTestGateway({ onUnexpected: (e) => unexpected.push(e) });
afterEach(async () => {
  const alive = await gw.gql(`{ __typename }`);
  expect(alive.data).toEqual({ __typename: 'Query' });
  expect(unexpected).toEqual([]);
});

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('bad input', () => {
  it('nesting 100 deep: QUERY_TOO_DEEP', async () => {
    const res = await gw.gql(
      `{ images(first: 1) { nodes { ${'source { images(first: 1) { nodes { '.repeat(50)} id ${'} } } '.repeat(50)} } } }`,
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('QUERY_TOO_DEEP');
    expect(res.errors!.find((e) => e.extensions?.code === 'QUERY_TOO_DEEP')!.message).toMatch(/depth limit of 15/);
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('10,000 aliases: refused by the token limit before it is even parsed in full', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const res = await gw.gql(`{ ${aliases} }`);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['TOO_MANY_TOKENS']);
  });

  it('31 aliases: TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: image(id: "ffffffffffffffffffffffff") { id }`).join(
      ' ',
    );
    const res = await gw.gql(`{ ${aliases} }`);
    expect(codes(res)).toContain('TOO_MANY_ALIASES');
  });

  it('a 1 MB string: PAYLOAD_TOO_LARGE', async () => {
    const res = await post(
      JSON.stringify({
        query: 'query($s: String) { images(filter: { search: $s }) { nodes { id } } }',
        variables: { s: 'x'.repeat(1024 * 1024) },
      }),
    );
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a chunked body that grows past the limit: the connection is reset once the limit is passed, nothing executes', async () => {
    gw.sandbox.resetRequests();
    const req = request(`${gw.url}/graphql`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json' },
    });
    const outcome = new Promise<string>((resolve) => {
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    req.write(`{"query":"query($s: String) { images(filter: { search: $s }) { nodes { id } } }","variables":{"s":"`);
    // 64 KiB at a time, up to twice the limit, for as long as the gateway still reads.
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < 2 * gw.config.limits.maxBodyBytes && !req.destroyed; sent += chunk.length) {
      if (!req.write(chunk)) await Promise.race([once(req, 'drain'), outcome]);
    }
    expect(await outcome).toMatch(/^(ECONNRESET|EPIPE)$/);
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('a client that goes away in the middle of its body: nothing unexpected, the server keeps serving', async () => {
    const arrived = once(gw.gateway.httpServer, 'request') as Promise<[IncomingMessage]>;
    const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":"{ images(first: 1) {',
    );
    const [req] = await arrived;
    socket.destroy();
    await new Promise((resolve) => req.on('close', resolve));
    // The gateway's handling of the cut-short request settles in promise callbacks: let them all run (afterEach then
    // checks that nothing was reported as unexpected).
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('100 batched operations: BATCH_TOO_LARGE; a small batch answers', async () => {
    const many = await post(JSON.stringify(Array.from({ length: 100 }, () => ({ query: '{ __typename }' }))));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].extensions.code).toBe('BATCH_TOO_LARGE');
    const few = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ a: __typename }' }]));
    expect(few.status).toBe(200);
    expect(few.body).toEqual(
      [{ data: { __typename: 'Query' } }, { data: { a: 'Query' } }].map((r) => expect.objectContaining(r)),
    );
  });

  it('ids are opaque: path characters go out as one encoded segment, and the upstream answers', async () => {
    gw.sandbox.resetRequests();
    const ids = ['../../v1/jobs', '65f1c3d9b7e5d40001a3ca1', '65f1c3d9b7e5d40001a3ca10?x=1', '%2e%2e%2fjobs'];
    for (const id of ids) {
      const res = await gw.gql(`query($id: ID!) { image(id: $id) { id } }`, { id });
      // Cycle does not know them: a by-id read is null, with no error and no crash.
      expect(res.errors, id).toBeUndefined();
      expect(res.data!.image, id).toBeNull();
    }
    expect(gw.sandbox.cycle.requests().map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`)).toEqual([
      'GET /v1/images/..%2F..%2Fv1%2Fjobs',
      'GET /v1/images/65f1c3d9b7e5d40001a3ca1',
      'GET /v1/images/65f1c3d9b7e5d40001a3ca10%3Fx=1',
      'GET /v1/images/%252e%252e%252fjobs',
    ]);
  });

  it('an id that cannot be sent (empty, `.`/`..`, control characters, over 255 characters): BAD_USER_INPUT before any request', async () => {
    gw.sandbox.resetRequests();
    for (const id of ['', '..', '.', 'abc\u0000def', 'line\nbreak', 'x'.repeat(256)]) {
      const res = await gw.gql(`query($id: ID!) { image(id: $id) { id } }`, { id });
      expect(codes(res), JSON.stringify(id)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.argument).toBe('id');
    }
    const job = await gw.gql(`{ job(id: "../../etc/passwd") { id } }`);
    expect(codes(job)).toEqual(['BAD_USER_INPUT']);
    expect(job.errors![0]!.extensions!.argument).toBe('platform');
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
    expect(gw.sandbox.cf.requests()).toHaveLength(0);
  });

  it('first: 1000000: BAD_USER_INPUT naming the maximum', async () => {
    const res = await gw.gql(`{ images(first: 1000000) { nodes { id } } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/from 0 to 100/);
  });

  it('an `after` cursor no list issued: BAD_USER_INPUT on that field, before any upstream request, on every upstream', async () => {
    gw.sandbox.resetRequests();
    const foreign = Buffer.from('page:3').toString('base64url');
    const res = await gw.gql(
      `query($a: String) {
        images(first: 2, after: $a) { nodes { id } }
        packages(first: 2, after: $a) { nodes { guid } }
        repositories(first: 2, after: $a) { nodes { name } }
      }`,
      { a: foreign },
    );
    expect(res.data).toEqual({ images: null, packages: null, repositories: null });
    expect(codes(res)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    for (const error of res.errors!) {
      expect(error.message).toBe('The `after` cursor is not a cursor of this list');
      expect(error.extensions).toMatchObject({ argument: 'after' });
    }
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
    expect(gw.sandbox.cf.requests()).toHaveLength(0);
    expect(gw.sandbox.dockercloud.requests()).toHaveLength(0);
  });

  it('a nested fan-out beyond the cost limit: QUERY_TOO_COMPLEX', async () => {
    const res = await gw.gql(
      `{ imageSources(first: 100) { nodes { images(first: 100) { nodes { id name source { name } } } } } }`,
    );
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 10000 });
    expect(gw.sandbox.cycle.requests()).toHaveLength(0);
  });

  it('syntax errors, unknown fields and wrong variable types: clear codes', async () => {
    expect(codes(await gw.gql(`{ images(first: 1) { nodes { id }`))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codes(await gw.gql(`{ imagez { id } }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await gw.gql(`query($n: Int) { images(first: $n) { nodes { id } } }`, { n: 'ten' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('a body that is not JSON, or JSON that is not an operation: a 400 with a code', async () => {
    expect((await post('not json')).body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const wrongShape = await post(JSON.stringify({ query: 42 }));
    expect(wrongShape.status).toBe(400);
  });
});
