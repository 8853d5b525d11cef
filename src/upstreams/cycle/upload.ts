/**
 * Uploading an image to a `cycle-upload` source (cycle.md §5 "Upload flow for `cycle-upload`"): after the image is
 * created, its OCI image tar goes as multipart form-data under the key `file.tar` to
 * `<factory>/v1/images/<IMAGE ID>/upload?hub-id=<HUB ID>&token=<TOKEN>` before the token's `details.expires`.
 *
 * The token is the source origin's (`origin.details.token`, which Cycle returns on a read of the source). It is read
 * here, used for the one factory request, and never leaves this module: it is no field of a domain model, it is
 * registered as a secret of the request (scrubbed from errors and logs), and only the path, not the query, is traced.
 * The tar is streamed from the client's upload to the factory, never held whole by this module.
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import {
  badUserInput,
  upstreamMalformed,
  upstreamStatusError,
  upstreamUnavailable,
  UpstreamError,
} from '../../errors.js';
import type { RequestDeadline } from '../shared/deadline.js';
import type { UpstreamCaller } from '../shared/httpClient.js';
import { route } from '../shared/route.js';
import type { UpstreamTrace } from '../shared/trace.js';
import { decodeCycleError } from './decode.js';
import type { WireEnvelope } from './wire.js';

/** The form key the factory reads the tar from (cycle.md §5). */
const FILE_FIELD = 'file.tar';
const MAX_TIMER_MS = 2_147_483_647;

/** What the factory upload needs besides the image and the file: where, as whom, and this request's trace and deadline. */
export interface CycleFactoryOptions {
  /** CYCLE_FACTORY_URL, without a trailing slash. */
  url: string;
  /** The hub of this request's Cycle credentials (the `hub-id` query parameter); null without credentials. */
  hubId: string | null;
  trace: UpstreamTrace;
  deadline: RequestDeadline;
}

/** The client's file: its name and its bytes as a stream. */
export interface ImageTar {
  filename: string;
  stream: Readable;
}

/** Where the request's secrets go to be scrubbed (the request's SecretSet). */
export interface SecretSink {
  add(value: string): void;
}

interface WireUploadTarget {
  source?: { details?: { id?: unknown } } | null;
}

interface WireSourceOrigin {
  origin?: { type?: unknown; details?: { token?: unknown; expires?: unknown } | null } | null;
}

/**
 * Sends `tar` to the factory for image `imageId`, with the token of the image's `cycle-upload` source. Before any
 * factory request: an image Cycle does not know is NOT_FOUND (Cycle's 404), an image of another kind of source is
 * BAD_USER_INPUT. The factory's refusals keep Cycle's code and detail (a wrong or expired token is UNAUTHENTICATED).
 */
export async function uploadImageTar(
  caller: UpstreamCaller,
  factory: CycleFactoryOptions,
  imageId: string,
  tar: ImageTar,
  secrets: SecretSink,
): Promise<void> {
  const token = await readUploadToken(caller, imageId);
  secrets.add(token);
  if (factory.hubId === null)
    throw new UpstreamError("This request's Cycle credentials name no hub, which Cycle's factory needs (hub-id)", {
      code: 'UNAUTHENTICATED',
      upstream: 'cycle',
    });
  await postToFactory(factory, imageId, token, tar);
}

async function readUploadToken(caller: UpstreamCaller, imageId: string): Promise<string> {
  const image = await caller.call({ method: 'GET', route: route('/v1/images/{imageId}', { imageId }) });
  const sourceId = (envelope<WireUploadTarget>(image.body, image.status).source?.details?.id ?? null) as unknown;
  if (typeof sourceId !== 'string' || sourceId === '')
    throw badUserInput(`Image "${imageId}" has no source: only an image of a cycle-upload source takes an upload`, {
      argument: 'id',
    });
  const source = await caller.call({ method: 'GET', route: route('/v1/images/sources/{sourceId}', { sourceId }) });
  const origin = envelope<WireSourceOrigin>(source.body, source.status).origin;
  if (origin?.type !== 'cycle-upload')
    throw badUserInput(
      `Image "${imageId}" belongs to a ${typeof origin?.type === 'string' ? origin.type : 'non-upload'} source: only an image of a cycle-upload source takes an upload`,
      { argument: 'id', reason: 'NOT_AN_UPLOAD_SOURCE' },
    );
  const token = origin.details?.token;
  if (typeof token !== 'string' || token === '')
    throw upstreamMalformed(
      'cycle',
      source.status,
      `source "${sourceId}" returned no upload token (origin.details.token)`,
    );
  return token;
}

async function postToFactory(
  factory: CycleFactoryOptions,
  imageId: string,
  token: string,
  tar: ImageTar,
): Promise<void> {
  const uploadRoute = route('/v1/images/{imageId}/upload', { imageId });
  const query = new URLSearchParams({ 'hub-id': factory.hubId!, token });
  const boundary = `imagegraph-${randomBytes(12).toString('hex')}`;
  // A timer cannot take more than about 24 days; an unbounded deadline (no request) waits that long at most.
  const remainingMs = Math.floor(Math.min(factory.deadline.remainingMs(), MAX_TIMER_MS));
  const started = performance.now();
  let status = 0;
  try {
    if (remainingMs <= 0)
      throw upstreamUnavailable('cycle', 'no time left in the request for the factory upload', false);
    const response = await request(`${factory.url}${uploadRoute.path}?${query}`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.from(multipartBody(boundary, tar)),
      headersTimeout: remainingMs,
      bodyTimeout: remainingMs,
      signal: AbortSignal.timeout(remainingMs),
    });
    status = response.statusCode;
    const text = await response.body.text();
    if (status >= 200 && status < 300) return;
    throw factoryRefusal(status, parseJson(text));
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    // The client's file failed first (past an upload limit, or its request cut short): its own error says why.
    if (tar.stream.errored) throw tar.stream.errored;
    // The message of a network error may quote the URL, whose query holds the token: say only what happened.
    throw upstreamUnavailable('cycle', `its image factory did not take the upload (${errorKind(error)})`, false);
  } finally {
    factory.trace.record({
      upstream: 'cycle',
      method: 'POST',
      path: uploadRoute.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }
}

/** One form part, `file.tar`, streamed from the client's file. */
async function* multipartBody(boundary: string, tar: ImageTar): AsyncGenerator<Buffer> {
  const filename = tar.filename.replace(/["\r\n\\]/g, '_') || 'image.tar';
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${FILE_FIELD}"; filename="${filename}"\r\n` +
      'Content-Type: application/x-tar\r\n\r\n',
  );
  for await (const chunk of tar.stream) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

function factoryRefusal(status: number, body: unknown): UpstreamError {
  const error = upstreamStatusError('cycle', status, decodeCycleError(body));
  const detail = error.message.replace(/^Cycle [^(]*\(HTTP \d+\)/, '');
  return new UpstreamError(
    `Cycle's image factory refused the upload (HTTP ${status})${detail}`,
    { ...error.extensions, ...(status === 401 ? { reason: 'UPLOAD_TOKEN_REFUSED' } : {}) },
    false,
  );
}

function envelope<T>(body: unknown, status: number): T {
  if (typeof body !== 'object' || body === null || !('data' in body))
    throw upstreamMalformed('cycle', status, 'expected a {data} envelope');
  const data = (body as WireEnvelope<T | null>).data;
  if (typeof data !== 'object' || data === null) throw upstreamMalformed('cycle', status, 'expected an object in data');
  return data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorKind(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'connection failed';
}
