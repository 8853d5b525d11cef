/**
 * Who a subscription acts for. The gateway token (GATEWAY_TOKENS) and forwarded upstream credentials come in the
 * HTTP headers of the WebSocket upgrade or SSE request, or, for WebSocket (browsers cannot set its headers), in the
 * `connection_init` payload: as header names at its top level or under `headers`. Only the names below are taken
 * from the payload; it never overrides the request id.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { FORWARDED_CREDENTIAL_HEADERS } from '../credentials.js';
import { ROUTER_HEADER } from '../plugins/routerCredentialWarning.js';

/**
 * The gateway's check of a client (its gateway token or JWT, http/clientAuth.ts), given the headers of the request or
 * of the WebSocket connection; null when no check is configured. The one place where the subscription transports ask
 * whether a client may use the gateway.
 */
export type ClientCheck = ((req: Pick<IncomingMessage, 'headers'>) => Promise<boolean>) | null;

const PAYLOAD_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  ROUTER_HEADER,
  ...Object.values(FORWARDED_CREDENTIAL_HEADERS),
]);

/** The upgrade request's headers, with the credential headers the `connection_init` payload carries. */
export function headersWithPayload(headers: IncomingHttpHeaders, payload: unknown): IncomingHttpHeaders {
  const merged: IncomingHttpHeaders = { ...headers };
  if (typeof payload !== 'object' || payload === null) return merged;
  const nested = (payload as { headers?: unknown }).headers;
  const source = typeof nested === 'object' && nested !== null ? nested : payload;
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    const lower = name.toLowerCase();
    if (PAYLOAD_HEADERS.has(lower) && typeof value === 'string') merged[lower] = value;
  }
  return merged;
}

export async function isClientAllowed(check: ClientCheck, headers: IncomingHttpHeaders): Promise<boolean> {
  return check === null || check({ headers });
}

/**
 * Browsers send any page's WebSocket to any host with the user's cookies and network position, and CORS does not
 * apply to WebSocket: so a browser's upgrade (it has an `Origin`) must come from this host or an origin CORS_ORIGINS
 * allows. Clients that are not browsers send no `Origin`.
 */
export function isOriginAllowed(headers: IncomingHttpHeaders, corsOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (corsOrigins.includes('*') || corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
