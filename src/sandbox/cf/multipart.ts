/**
 * Reads a `multipart/form-data` body (busboy) into its text fields and files. A body that is not multipart, or
 * that busboy cannot parse, reads as an empty form: the upload then fails CC's own validation ("Upload must include
 * either resources or bits") instead of a parser error.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { readBody } from '../shared/http.js';

export interface MultipartForm {
  fields: Map<string, string>;
  files: Map<string, Buffer>;
}

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export async function readMultipartForm(req: IncomingMessage): Promise<MultipartForm> {
  const form: MultipartForm = { fields: new Map(), files: new Map() };
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES } });
  } catch {
    await readBody(req, MAX_UPLOAD_BYTES);
    return form;
  }
  await new Promise<void>((resolve) => {
    parser.on('field', (name, value) => form.fields.set(name, value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
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
