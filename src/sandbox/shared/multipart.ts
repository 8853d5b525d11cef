/**
 * Reads a `multipart/form-data` body (busboy) into its text fields and files, for the emulators' upload routes (CF
 * bits, Cycle's factory). A body that is not multipart, or that busboy cannot parse, reads as an empty form: the
 * upload then fails the upstream's own validation (CC: "Upload must include either resources or bits") instead of a
 * parser error. A file cut at the size limit is listed in `truncated`.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { readBody } from './http.js';

export interface MultipartForm {
  fields: Map<string, string>;
  files: Map<string, Buffer>;
  /** Files that exceeded the limit: their content is cut. */
  truncated: Set<string>;
}

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export async function readMultipartForm(req: IncomingMessage, maxFileBytes = MAX_UPLOAD_BYTES): Promise<MultipartForm> {
  const form: MultipartForm = { fields: new Map(), files: new Map(), truncated: new Set() };
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes } });
  } catch {
    await readBody(req, maxFileBytes);
    return form;
  }
  await new Promise<void>((resolve) => {
    parser.on('field', (name, value) => form.fields.set(name, value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => form.truncated.add(name));
      stream.on('end', () => form.files.set(name, Buffer.concat(chunks)));
    });
    parser.on('close', resolve);
    parser.on('error', () => {
      req.unpipe(parser);
      req.resume();
      resolve();
    });
    req.pipe(parser);
  });
  return form;
}
