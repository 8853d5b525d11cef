/**
 * Request bodies (§1, `_errors.md` 415): a POST or PATCH must say `Content-Type: application/json` and carry valid
 * JSON, otherwise 415. A well-formed JSON value that is not an object is a bad request (400).
 */
import type { IncomingMessage } from 'node:http';
import { readJson } from '../shared/http.js';
import { DockerCloudError } from './errors.js';

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new DockerCloudError(
      415,
      `Unsupported Content-Type '${req.headers['content-type'] ?? ''}': send application/json.`,
    );
  }
  const parsed = await readJson(req);
  if (!parsed.ok) throw new DockerCloudError(415, 'The request body is not valid JSON.');
  const value = parsed.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DockerCloudError(400, 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** An optional string field: absent (or null) is undefined; any other non-string is a 400. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new DockerCloudError(400, `${field}: expected a string.`);
  return value;
}
