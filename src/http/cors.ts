/**
 * Cross-origin access (CORS_ORIGINS), by the `cors` package. With no origins configured nothing is added and
 * browsers keep the same-origin rule. Preflights (OPTIONS) are answered here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { FORWARDED_CREDENTIAL_HEADERS } from '../credentials.js';

export type CorsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<'handled' | 'continue'>;

export function createCorsHandler(origins: readonly string[]): CorsHandler | null {
  if (origins.length === 0) return null;
  const middleware = cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'x-request-id',
      'traceparent',
      ...Object.values(FORWARDED_CREDENTIAL_HEADERS),
    ],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
  return (req, res) =>
    new Promise((resolve) => {
      // `cors` ends preflights itself (204) and otherwise calls next().
      middleware(req as never, res as never, () => resolve('continue'));
      if (res.writableEnded) resolve('handled');
    });
}
