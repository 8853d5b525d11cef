/**
 * The memory bound of uploads (issue 23, finding 8), against a gateway process with the production heap flags
 * (`--max-old-space-size=192 --max-semi-space-size=8`, what `npm start` and the image run) in sandbox mode: eight
 * concurrent 60 MB uploads whose operation is invalid are each refused with the validation error, and the process's
 * peak RSS (/proc VmHWM) stays far under the 384 Mi limit of the Kubernetes manifests; a valid upload above
 * UPLOAD_MAX_FILE_BYTES is refused with PAYLOAD_TOO_LARGE while it streams.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  multipartUpload,
  processMemory,
  startGatewayWithHeapFlags,
  type HeapFlagGateway,
} from '../../bench/uploadClient.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MB = 1024 * 1024;
const KUBERNETES_LIMIT_MIB = 384;

let gateway: HeapFlagGateway;
beforeAll(async () => {
  gateway = await startGatewayWithHeapFlags(ROOT, { UPLOAD_MAX_FILE_BYTES: String(16 * MB) });
}, 90_000);
afterAll(() => gateway?.stop());

it('refuses eight concurrent 60 MB uploads with an invalid operation at once, without buffering them', async () => {
  const before = processMemory(gateway.pid);
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      multipartUpload(
        `${gateway.url}/graphql`,
        'mutation($f: Upload) { nosuchField(bits: $f) }',
        { f: null },
        'f',
        60 * MB,
      ),
    ),
  );
  for (const answer of answers) {
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('GRAPHQL_VALIDATION_FAILED');
  }
  const after = processMemory(gateway.pid);
  // Buffered, the files alone would be 480 MB; streamed past unread, they add next to nothing.
  expect(after.peakMiB - before.rssMiB).toBeLessThan(100);
  expect(after.peakMiB).toBeLessThan(KUBERNETES_LIMIT_MIB * 0.75);
}, 120_000);

it('refuses a valid 60 MB upload above UPLOAD_MAX_FILE_BYTES with PAYLOAD_TOO_LARGE', async () => {
  const post = async (query: string, variables: Record<string, unknown>) =>
    (await (
      await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as { data: any };
  const apps = await post('{ apps(first: 100) { nodes { guid lifecycle { type } } } }', {});
  const app = apps.data.apps.nodes.find((a: any) => a.lifecycle.type === 'buildpack').guid;
  const created = await post('mutation($a: ID!) { createPackage(input: { appGuid: $a, type: BITS }) { guid } }', {
    a: app,
  });
  const answer = await multipartUpload(
    `${gateway.url}/graphql`,
    'mutation($g: ID!, $f: Upload) { uploadPackageBits(guid: $g, bits: $f) { state } }',
    { g: created.data.createPackage.guid, f: null },
    'f',
    60 * MB,
  );
  expect(answer.status).toBe(413);
  expect(answer.body).toMatchObject({
    errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', setting: 'UPLOAD_MAX_FILE_BYTES', max: 16 * MB } }],
  });
  expect(processMemory(gateway.pid).peakMiB).toBeLessThan(KUBERNETES_LIMIT_MIB * 0.75);
}, 120_000);
