/**
 * The GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec): a
 * `multipart/form-data` POST whose `operations` field is the usual JSON body with null where files go, whose `map`
 * field says where (`{"0": ["variables.bits"]}`), followed by the files.
 *
 * Checked first, streamed after: `operations` and `map` are read and the operation is checked (variables limits,
 * parsed and validated against the schema, its variables coerced with a file in each mapped place: uploadPreflight.ts)
 * before any byte of a file is read. A request that fails is answered at once and the rest of its body is drained
 * unread. A request that passes takes one of UPLOAD_MAX_CONCURRENT slots (or is answered 503) and executes while its
 * files stream: each mapped file becomes an `UploadedFile` in the variables (uploadedFile.ts), which its resolver reads
 * as a stream within UPLOAD_MAX_FILE_BYTES per file and UPLOAD_MAX_BYTES per request. At most MAX_FILES files, and
 * `operations`/`map` at most MAX_FIELD_BYTES each.
 *
 * CSRF: a multipart form is a "simple" request a browser sends cross-site without a preflight, so it must carry
 * `apollo-require-preflight` or `x-apollo-operation-name`, as Apollo's CSRF prevention demands. That is checked here
 * before the body is read (so a forged request uploads nothing), and Apollo checks the same headers again.
 */
import type { IncomingMessage } from 'node:http';
import type { HeaderMap } from '@apollo/server';
import busboy from 'busboy';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { checkOperationsShape, jsonBodyTooDeep, type InputShapeLimits } from '../inputShape.js';
import { UploadedFile, uploadFailed, uploadTooLarge, type UploadHost } from './uploadedFile.js';

export { UploadedFile } from './uploadedFile.js';
export type { UploadStream } from './uploadedFile.js';

export const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 10;
const MAX_FIELD_BYTES = 1024 * 1024;
/** Apollo's `recommendedCsrfPreventionRequestHeaders`. */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;
/** Path segments that could reach an object's prototype instead of a variable. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export interface MultipartOptions {
  /** All the files of one request together (UPLOAD_MAX_BYTES). */
  maxBytes: number;
  /** One file (UPLOAD_MAX_FILE_BYTES). */
  maxFileBytes: number;
  variablesLimits: InputShapeLimits;
  /** The operation check that runs before any file is read: the errors that refuse it, none when it may run. */
  preflight(operations: unknown): readonly GraphQLFormattedError[];
  /** Multipart requests streaming at once (UPLOAD_MAX_CONCURRENT). */
  slots: UploadSlots;
}

export type MultipartResult =
  | { ok: true; body: unknown; session: UploadSession }
  | { ok: false; status: number; errors: GraphQLFormattedError[]; headers?: Record<string, string> };

export function isMultipartRequest(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().split(';')[0]!.trim() === 'multipart/form-data';
}

/** A bounded number of multipart requests streaming files at once; the others are answered 503 at once. */
export class UploadSlots {
  #used = 0;
  constructor(readonly max: number) {}

  tryTake(): boolean {
    if (this.#used >= this.max) return false;
    this.#used++;
    return true;
  }

  release(): void {
    this.#used--;
  }

  get used(): number {
    return this.#used;
  }
}

class MultipartFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLFormattedError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'multipart failure');
  }
}

const failure = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  new MultipartFailure(status, [{ message, extensions: { code } }], headers);
const badRequest = (message: string) => failure(400, 'BAD_REQUEST', message);

/**
 * Reads a multipart GraphQL request up to its files: the JSON body Apollo expects (files in place), and the session
 * that streams the files. Call `session.finish()` once the response is sent.
 */
export async function readMultipartOperations(
  req: IncomingMessage,
  headers: HeaderMap,
  options: MultipartOptions,
): Promise<MultipartResult> {
  try {
    if (!PREFLIGHT_HEADERS.some((name) => (headers.get(name) ?? '') !== '')) {
      throw badRequest(
        `Multipart requests are blocked as a potential Cross-Site Request Forgery (CSRF) unless they carry a non-empty ${PREFLIGHT_HEADERS.join(' or ')} header`,
      );
    }
    const declared = Number(headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes + 2 * MAX_FIELD_BYTES)
      throw tooLargeRequest(options.maxBytes);
    return await readForm(req, options);
  } catch (error) {
    if (!(error instanceof MultipartFailure)) throw error;
    // Nothing more of this request is read: what is left of it is drained, unread.
    req.resume();
    return { ok: false, status: error.status, errors: error.errors, headers: error.headers };
  }
}

function tooLargeRequest(maxBytes: number): MultipartFailure {
  const error = uploadTooLarge(maxBytes, 'UPLOAD_MAX_BYTES', 'The files of one request');
  return new MultipartFailure(413, [{ message: error.message, extensions: error.extensions }]);
}

/** The files of one multipart request while they stream (UploadHost for each file). */
export class UploadSession implements UploadHost {
  readonly files = new Map<string, UploadedFile>();
  #bytes = 0;
  #finished = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly parser: busboy.Busboy,
    private readonly options: MultipartOptions,
    private readonly releaseSlot: () => void,
  ) {}

  claimed(file: UploadedFile): void {
    if (!file.waiting) return;
    for (const other of this.files.values()) if (other.unclaimed) other.holdInMemory();
  }

  someoneWaits(): boolean {
    for (const file of this.files.values()) if (file.waiting) return true;
    return false;
  }

  count(bytes: number): boolean {
    this.#bytes += bytes;
    if (this.#bytes <= this.options.maxBytes) return true;
    this.failAll(uploadTooLarge(this.options.maxBytes, 'UPLOAD_MAX_BYTES', 'The files of one request'));
    this.#stopReading();
    return false;
  }

  failAll(error: GraphQLError): void {
    for (const file of this.files.values()) file.fail(error);
  }

  /** The response is sent: unread files are discarded, the rest of the request drained, the slot freed. Idempotent. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const file of this.files.values()) file.discard();
    this.#stopReading();
    this.releaseSlot();
  }

  #stopReading(): void {
    this.req.unpipe(this.parser);
    this.req.resume();
  }
}

function readForm(req: IncomingMessage, options: MultipartOptions): Promise<MultipartResult> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: options.maxFileBytes, files: MAX_FILES, fieldSize: MAX_FIELD_BYTES, fields: 10 },
      });
    } catch {
      reject(badRequest('The multipart body has no boundary'));
      return;
    }
    let operations: unknown;
    let session: UploadSession | undefined;
    let settled = false;
    const fail = (problem: MultipartFailure) => {
      if (settled) {
        // The operation runs already: its files fail instead.
        session?.failAll(uploadFailed(problem.message));
        return;
      }
      settled = true;
      req.unpipe(parser);
      reject(problem);
    };
    parser.on('field', (name, value, info) => {
      if (session) return;
      if (info.valueTruncated) return fail(badRequest(`The \`${name}\` field exceeds ${MAX_FIELD_BYTES} bytes`));
      try {
        if (name === 'operations') operations = readOperations(value, options.variablesLimits);
        else if (name === 'map') {
          if (operations === undefined) throw badRequest('The `operations` field must come before `map`');
          session = startSession(req, parser, operations, value, options);
          settled = true;
          resolve({ ok: true, body: operations, session });
        }
      } catch (error) {
        fail(error instanceof MultipartFailure ? error : badRequest(`The \`${name}\` field cannot be read`));
      }
    });
    parser.on('file', (name, stream, info) => {
      const file = session?.files.get(name);
      if (!session) {
        stream.resume();
        return fail(badRequest('The `operations` and `map` fields must come before the files'));
      }
      if (!file) return void stream.resume();
      file.attach(stream, { filename: info.filename ?? name, mimeType: info.mimeType });
    });
    parser.on('filesLimit', () => fail(badRequest(`A request may carry at most ${MAX_FILES} files`)));
    parser.on('fieldsLimit', () => fail(badRequest('Too many fields in the multipart body')));
    parser.on('error', () => fail(badRequest('The multipart body is malformed')));
    parser.on('close', () => {
      if (!session) return fail(badRequest('The multipart body has no `operations` and `map` fields'));
      for (const file of session.files.values())
        if (!file.attached)
          file.fail(uploadFailed(`The file \`${file.key}\` named in \`map\` is missing from the request`));
    });
    req.pipe(parser);
  });
}

/** `operations`, checked before it is parsed (nesting) and after (variables limits). */
function readOperations(text: string, limits: InputShapeLimits): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const tooDeep = jsonBodyTooDeep(bytes, limits);
  if (tooDeep) throw new MultipartFailure(400, [tooDeep.toJSON()]);
  const operations = parseJsonField(text, 'operations');
  const badShape = checkOperationsShape(operations, limits);
  if (badShape) throw new MultipartFailure(400, [badShape.toJSON()]);
  return operations;
}

/** Places a file for each `map` entry, checks the operation, and takes a slot: the files may then be read. */
function startSession(
  req: IncomingMessage,
  parser: busboy.Busboy,
  operations: unknown,
  mapText: string,
  options: MultipartOptions,
): UploadSession {
  const map = parseMap(mapText);
  if (map.size > MAX_FILES) throw badRequest(`A request may carry at most ${MAX_FILES} files`);
  let taken = false;
  let released = false;
  const session = new UploadSession(req, parser, options, () => {
    if (!released && taken) options.slots.release();
    released = true;
  });
  for (const [key, paths] of map) {
    const file = new UploadedFile(key, session, options.maxFileBytes);
    session.files.set(key, file);
    for (const path of paths) setAtPath(operations, path, file);
  }
  const refused = options.preflight(operations);
  if (refused.length > 0) throw new MultipartFailure(400, [...refused]);
  taken = options.slots.tryTake();
  if (!taken)
    throw failure(
      503,
      'TOO_MANY_UPLOADS',
      `The gateway is streaming its limit of ${options.slots.max} multipart requests (UPLOAD_MAX_CONCURRENT): send it again shortly`,
      { 'retry-after': '1' },
    );
  return session;
}

function parseJsonField(value: string, name: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw badRequest(`The \`${name}\` field is not valid JSON`);
  }
}

function parseMap(value: string): Map<string, string[]> {
  const parsed = parseJsonField(value, 'map');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('The `map` field must be a JSON object');
  const map = new Map<string, string[]>();
  for (const [key, paths] of Object.entries(parsed)) {
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string'))
      throw badRequest(`\`map.${key}\` must be an array of object paths`);
    map.set(key, paths as string[]);
  }
  return map;
}

/** Puts `value` where `path` says (`variables.x`, or `<index>.variables.x` in a batch), which must hold null. */
function setAtPath(root: unknown, path: string, value: UploadedFile): void {
  const segments = path.split('.');
  const variablesAt = Array.isArray(root) ? 1 : 0;
  if (segments[variablesAt] !== 'variables' || segments.length < variablesAt + 2)
    throw badRequest(`\`map\` path \`${path}\` does not name a variable`);
  let parent: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const container = parent as Record<string, unknown>;
    if (
      FORBIDDEN_SEGMENTS.has(segment) ||
      typeof parent !== 'object' ||
      parent === null ||
      !Object.hasOwn(container, segment)
    ) {
      throw badRequest(`\`map\` path \`${path}\` does not name a null in \`operations\``);
    }
    if (i === segments.length - 1) {
      if (container[segment] !== null)
        throw badRequest(`\`map\` path \`${path}\` does not name a null in \`operations\``);
      container[segment] = value;
    } else {
      parent = container[segment];
    }
  }
}
