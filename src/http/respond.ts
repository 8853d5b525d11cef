/** Answers outside the GraphQL pipeline, in the GraphQL-over-HTTP error shape where the client expects GraphQL. */
import type { ServerResponse } from 'node:http';
import { noteRefusal } from './requestLog.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Formatted GraphQL errors with an HTTP status; the request line records the first as the refusal. */
export function sendErrors(
  res: ServerResponse,
  status: number,
  errors: readonly { message: string; extensions?: { code?: unknown } }[],
  headers: Record<string, string> = {},
): void {
  const first = errors[0];
  noteRefusal(res, { code: String(first?.extensions?.code ?? 'BAD_REQUEST'), message: first?.message ?? '' });
  sendJson(res, status, { errors }, headers);
}

/** `{"errors": [{message, extensions: {code}}]}` with an HTTP status; the request line records the refusal. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  noteRefusal(res, { code, message });
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}
