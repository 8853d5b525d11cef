/**
 * Uploads are checked first and streamed after (issue 23, finding 8): a multipart request's operation is parsed,
 * validated and its variables coerced before any file byte is read, and refused at once when it fails; files stream
 * to their resolver within UPLOAD_MAX_FILE_BYTES and UPLOAD_MAX_BYTES; at most UPLOAD_MAX_CONCURRENT multipart
 * requests stream at once. The memory bound under a flood is tested against a process: uploadMemory.test.ts.
 */
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartUpload } from '../../bench/uploadClient.js';
import { codes } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';
import { postMultipart } from '../helpers/multipart.js';

const gw = useTestGateway({
  env: { UPLOAD_MAX_FILE_BYTES: String(64 * 1024), UPLOAD_MAX_BYTES: String(256 * 1024), UPLOAD_MAX_CONCURRENT: '1' },
});

const UPLOAD = `mutation($guid: ID!, $bits: Upload, $awaitMs: Int) {
  uploadPackageBits(guid: $guid, bits: $bits, awaitMs: $awaitMs) { guid state } }`;

let buildpackApp: string;
beforeAll(async () => {
  const apps = await gw.gql(`{ apps(first: 100) { nodes { guid lifecycle { type } } } }`);
  buildpackApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'buildpack').guid;
});

async function createBitsPackage(): Promise<string> {
  const res = await gw.gql(`mutation($app: ID!) { createPackage(input: { appGuid: $app, type: BITS }) { guid } }`, {
    app: buildpackApp,
  });
  return res.data!.createPackage.guid;
}

function appZip(): Uint8Array {
  return zipSync({ 'app.rb': strToU8('run ->(env) { [200, {}, ["hello"]] }\n') });
}

const cfWrites = () => gw.sandbox.cf.requests().filter((r) => r.method !== 'GET');

describe('the operation is checked before any file is read', () => {
  it.each([
    [
      'an unknown field',
      'mutation($f: Upload) { nosuchField(bits: $f) }',
      { f: null },
      'variables.f',
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['a syntax error', 'mutation($f: Upload) { uploadPackageBits(', { f: null }, 'variables.f', 'GRAPHQL_PARSE_FAILED'],
    [
      'a file in a String variable',
      'mutation($f: String!) { removeRepository(name: $f) { name } }',
      { f: null },
      'variables.f',
      'BAD_USER_INPUT',
    ],
    ['a file in an undeclared variable', '{ __typename }', { f: null }, 'variables.f', 'BAD_USER_INPUT'],
    ['a bad guid type', UPLOAD, { guid: { not: 'an id' }, bits: null }, 'variables.bits', 'BAD_USER_INPUT'],
  ])(
    'refuses %s with a 400 before the file is sent, forwarding nothing',
    async (_what, query, variables, path, code) => {
      gw.sandbox.resetRequests();
      const answer = await multipartUpload(
        `${gw.url}/graphql`,
        query,
        variables,
        path.slice('variables.'.length),
        8 * 1024 * 1024,
        false,
      );
      expect(answer.body).toMatchObject({ errors: [{ extensions: { code } }] });
      expect(answer.status).toBe(400);
      expect(gw.sandbox.cf.requests()).toEqual([]);
      // The server answered while the client was still sending: the refusal did not wait for the file.
      expect(answer.answeredMs).toBeLessThanOrEqual(answer.sentMs + 1_000);
    },
  );

  it('keeps serving after refusals (the rest of each refused body is drained)', async () => {
    const guid = await createBitsPackage();
    const res = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null, awaitMs: 5000 }, [
      { path: 'variables.bits', content: appZip(), filename: 'app.zip' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.uploadPackageBits.state).toBe('READY');
  });
});

describe('limits while the file streams', () => {
  it('refuses a valid upload above UPLOAD_MAX_FILE_BYTES with PAYLOAD_TOO_LARGE, forwarding nothing', async () => {
    const guid = await createBitsPackage();
    gw.sandbox.resetRequests();
    const res = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null }, [
      { path: 'variables.bits', content: new Uint8Array(100 * 1024).fill(7), filename: 'big.zip' },
    ]);
    expect(res.status).toBe(413);
    expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(res.errors![0]!.extensions).toMatchObject({ setting: 'UPLOAD_MAX_FILE_BYTES', max: 64 * 1024 });
    expect(cfWrites()).toEqual([]);
  });

  it('fails the file that passes UPLOAD_MAX_BYTES, the request total, after the earlier ones were served', async () => {
    const guids = [];
    for (let i = 0; i < 5; i++) guids.push(await createBitsPackage());
    const fields = guids.map((_, i) => `f${i}: uploadPackageBits(guid: $g${i}, bits: $b${i}) { state }`).join('\n');
    const declarations = guids.map((_, i) => `$g${i}: ID!, $b${i}: Upload`).join(', ');
    const variables = Object.fromEntries(
      guids.flatMap((guid, i) => [
        [`g${i}`, guid],
        [`b${i}`, null],
      ]),
    );
    // Five files of 60 KiB: each under UPLOAD_MAX_FILE_BYTES (64 KiB), 300 KiB together over UPLOAD_MAX_BYTES (256 KiB).
    const res = await postMultipart(
      `${gw.url}/graphql`,
      `mutation(${declarations}) { ${fields} }`,
      variables,
      guids.map((_, i) => ({
        path: `variables.b${i}`,
        content: new Uint8Array(60 * 1024).fill(i),
        filename: `${i}.zip`,
      })),
    );
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['f4'],
      extensions: { code: 'PAYLOAD_TOO_LARGE', setting: 'UPLOAD_MAX_BYTES', max: 256 * 1024 },
    });
    expect(Object.keys(res.data!).filter((key) => res.data![key] !== null)).toEqual(['f0', 'f1', 'f2', 'f3']);
  });

  it('reads two files in the order the operation needs them, whatever order they were sent in', async () => {
    const [first, second] = [await createBitsPackage(), await createBitsPackage()];
    const res = await postMultipart(
      `${gw.url}/graphql`,
      `mutation($g1: ID!, $g2: ID!, $a: Upload, $b: Upload) {
        a: uploadPackageBits(guid: $g1, bits: $a, awaitMs: 5000) { state }
        b: uploadPackageBits(guid: $g2, bits: $b, awaitMs: 5000) { state } }`,
      { g1: first, g2: second, a: null, b: null },
      [
        { path: 'variables.b', content: appZip(), filename: 'b.zip' },
        { path: 'variables.a', content: appZip(), filename: 'a.zip' },
      ],
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { state: 'READY' }, b: { state: 'READY' } });
  });

  it('serves a later file when the field of an earlier one failed without reading it', async () => {
    const guid = await createBitsPackage();
    const res = await postMultipart(
      `${gw.url}/graphql`,
      `mutation($g: ID!, $a: Upload, $b: Upload) {
        a: uploadPackageBits(guid: "..", bits: $a) { state }
        b: uploadPackageBits(guid: $g, bits: $b, awaitMs: 5000) { state } }`,
      { g: guid, a: null, b: null },
      [
        { path: 'variables.a', content: appZip(), filename: 'a.zip' },
        { path: 'variables.b', content: appZip(), filename: 'b.zip' },
      ],
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.data).toEqual({ a: null, b: { state: 'READY' } });
  });
});

describe('concurrency', () => {
  it('answers 503 TOO_MANY_UPLOADS while UPLOAD_MAX_CONCURRENT multipart requests stream, and serves again after', async () => {
    const guid = await createBitsPackage();
    // A valid upload whose body never ends holds the only slot.
    const boundary = 'held-open-boundary';
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const head = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="operations"',
      '',
      JSON.stringify({ query: UPLOAD, variables: { guid, bits: null } }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="map"',
      '',
      JSON.stringify({ 0: ['variables.bits'] }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="0"; filename="slow.zip"',
      'Content-Type: application/zip',
      '',
      'PK',
    ].join('\r\n');
    let step = 0;
    const controller = new AbortController();
    const held = fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'apollo-require-preflight': 'true' },
      body: new ReadableStream<Uint8Array>({
        async pull(stream) {
          if (step++ === 0) return stream.enqueue(new TextEncoder().encode(head));
          await released;
          stream.close();
        },
      }),
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit).catch(() => null);
    await expect.poll(async () => (await gw.gql('{ __typename }')).data, { timeout: 5_000 }).toBeTruthy();
    let busy: Awaited<ReturnType<typeof postMultipart>> | undefined;
    await expect
      .poll(
        async () => {
          busy = await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid, bits: null }, [
            { path: 'variables.bits', content: appZip(), filename: 'app.zip' },
          ]);
          return busy.status;
        },
        { timeout: 5_000 },
      )
      .toBe(503);
    expect(codes(busy!)).toEqual(['TOO_MANY_UPLOADS']);
    expect(busy!.headers.get('retry-after')).toBe('1');
    controller.abort();
    release();
    await held;
    const again = await createBitsPackage();
    await expect
      .poll(
        async () =>
          (
            await postMultipart(`${gw.url}/graphql`, UPLOAD, { guid: again, bits: null, awaitMs: 5000 }, [
              { path: 'variables.bits', content: appZip(), filename: 'app.zip' },
            ])
          ).data?.uploadPackageBits?.state,
        { timeout: 5_000 },
      )
      .toBe('READY');
  });
});
