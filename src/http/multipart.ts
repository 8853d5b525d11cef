/**
 * The GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec): a
 * `multipart/form-data` POST whose `operations` field is the usual JSON body with null where files go, whose `map`
 * field says where (`{"0": ["variables.bits"]}`), followed by the files. Each file becomes an `UploadedFile` in the
 * operation's variables, which the `Upload` scalar accepts.
 *
 * Limits: the files of one request together may hold `maxBytes` (UPLOAD_MAX_BYTES), at most MAX_FILES files, and
 * `operations`/`map` at most MAX_FIELD_BYTES each. Files are buffered: the upstreams that take them (CF bits upload)
 * need the whole file in one request anyway.
 *
 * CSRF: a multipart form is a "simple" request a browser sends cross-site without a preflight, so it must carry
 * `apollo-require-preflight` or `x-apollo-operation-name`, as Apollo's CSRF prevention demands. That is checked here
 * before the body is read (so a forged request uploads nothing), and Apollo checks the same headers again.
 */
import type { IncomingMessage } from 'node:http';
import type { HeaderMap } from '@apollo/server';
import busboy from 'busboy';

export const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 10;
const MAX_FIELD_BYTES = 1024 * 1024;
/** Apollo's `recommendedCsrfPreventionRequestHeaders`. */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;
/** Path segments that could reach an object's prototype instead of a variable. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * One uploaded file, read completely. The bytes sit in a private field: code that walks the variables (secret
 * scrubbing, logging) sees only the name and type, and `toJSON` keeps the bytes out of dumps.
 */
export class UploadedFile {
  readonly #content: Buffer;

  constructor(
    readonly filename: string,
    readonly mimeType: string,
    content: Buffer,
  ) {
    this.#content = content;
  }

  get content(): Buffer {
    return this.#content;
  }

  get sizeBytes(): number {
    return this.#content.length;
  }

  toJSON(): { filename: string; mimeType: string; sizeBytes: number } {
    return { filename: this.filename, mimeType: this.mimeType, sizeBytes: this.sizeBytes };
  }
}

export type MultipartResult =
  { ok: true; body: unknown } | { ok: false; status: number; code: string; message: string };

export function isMultipartRequest(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().split(';')[0]!.trim() === 'multipart/form-data';
}

class MultipartFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new MultipartFailure(400, 'BAD_REQUEST', message);
const tooLarge = (message: string) => new MultipartFailure(413, 'PAYLOAD_TOO_LARGE', message);

/** Reads a multipart GraphQL request into the JSON body Apollo expects, with its files in place. */
export async function readMultipartOperations(
  req: IncomingMessage,
  headers: HeaderMap,
  maxBytes: number,
): Promise<MultipartResult> {
  try {
    if (!PREFLIGHT_HEADERS.some((name) => (headers.get(name) ?? '') !== '')) {
      throw badRequest(
        `Multipart requests are blocked as a potential Cross-Site Request Forgery (CSRF) unless they carry a non-empty ${PREFLIGHT_HEADERS.join(' or ')} header`,
      );
    }
    const declared = Number(headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes + 2 * MAX_FIELD_BYTES)
      throw tooLarge(`Uploads may hold at most ${maxBytes} bytes`);
    const form = await readForm(req, maxBytes);
    return { ok: true, body: placeFiles(form) };
  } catch (error) {
    if (!(error instanceof MultipartFailure)) throw error;
    req.resume();
    return { ok: false, status: error.status, code: error.code, message: error.message };
  }
}

interface MultipartForm {
  operations: unknown;
  map: Map<string, string[]>;
  files: Map<string, UploadedFile>;
}

function readForm(req: IncomingMessage, maxBytes: number): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxBytes, files: MAX_FILES, fieldSize: MAX_FIELD_BYTES, fields: 10 },
      });
    } catch {
      reject(badRequest('The multipart body has no boundary'));
      return;
    }
    let operations: unknown;
    let map: Map<string, string[]> | undefined;
    const files = new Map<string, UploadedFile>();
    let totalBytes = 0;
    let failed = false;
    const fail = (failure: MultipartFailure) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      reject(failure);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(tooLarge(`The \`${name}\` field exceeds ${MAX_FIELD_BYTES} bytes`));
      try {
        if (name === 'operations') operations = parseJsonField(value, 'operations');
        else if (name === 'map') map = parseMap(value);
      } catch (error) {
        fail(error instanceof MultipartFailure ? error : badRequest(`The \`${name}\` field cannot be read`));
      }
    });
    parser.on('file', (name, stream, info) => {
      if (map === undefined || operations === undefined) {
        stream.resume();
        return fail(badRequest('The `operations` and `map` fields must come before the files'));
      }
      if (!map.has(name)) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        totalBytes += chunk.length;
        if (totalBytes > maxBytes) fail(tooLarge(`Uploads may hold at most ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(`Uploads may hold at most ${maxBytes} bytes`)));
      stream.on('end', () =>
        files.set(name, new UploadedFile(info.filename ?? name, info.mimeType, Buffer.concat(chunks))),
      );
    });
    parser.on('filesLimit', () => fail(tooLarge(`A request may carry at most ${MAX_FILES} files`)));
    parser.on('fieldsLimit', () => fail(badRequest('Too many fields in the multipart body')));
    parser.on('error', (error) =>
      fail(error instanceof MultipartFailure ? error : badRequest('The multipart body is malformed')),
    );
    parser.on('close', () => {
      if (failed) return;
      if (operations === undefined) return fail(badRequest('The multipart body has no `operations` field'));
      if (map === undefined) return fail(badRequest('The multipart body has no `map` field'));
      resolve({ operations, map, files });
    });
    req.pipe(parser);
  });
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
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string'))
      throw badRequest(`\`map.${key}\` must be an array of object paths`);
    map.set(key, paths as string[]);
  }
  return map;
}

/** Puts each mapped file where `map` says, in `operations` (which must have null there). */
function placeFiles({ operations, map, files }: MultipartForm): unknown {
  for (const [key, paths] of map) {
    const file = files.get(key);
    if (!file) throw badRequest(`The file \`${key}\` named in \`map\` is missing`);
    for (const path of paths) setAtPath(operations, path, file);
  }
  return operations;
}

function setAtPath(root: unknown, path: string, value: UploadedFile): void {
  const segments = path.split('.');
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
