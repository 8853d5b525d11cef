/**
 * What every Cloud Controller route does around its own work: authenticate the bearer token, count the request
 * against the rate limit (headers on the response), hand the handler its tenant's store, and turn a raised
 * `CfApiError` into CC's error body (cf-v3-packages.md §6).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl, type EmulatorRouter } from '../shared/emulator.js';
import { BodyTooLargeError, readBody, sendJson } from '../shared/http.js';
import { authenticate } from './auth.js';
import { CfApiError } from './errors.js';
import type { RateLimiter } from './rateLimit.js';
import type { TenantStore } from './store.js';
import type { UaaTokens } from './uaa.js';

export interface CfRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Route parameters, e.g. `guid`. */
  params: Readonly<Record<string, string | undefined>>;
  url: URL;
  store: TenantStore;
  /** Absolute base for links, e.g. `http://127.0.0.1:4102`. */
  baseUrl: string;
}

export type CfHandler = (request: CfRequest) => void | Promise<void>;

export interface CfRouteContext {
  router: EmulatorRouter;
  baseUrl: string;
  storesByToken: ReadonlyMap<string, TenantStore>;
  uaaTokens: UaaTokens<TenantStore>;
  rateLimiter: RateLimiter;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Registers a CF route whose handler runs authenticated, with errors rendered CC's way. */
export function cfRoute(context: CfRouteContext, method: Method, path: string, handler: CfHandler): void {
  context.router.on(method, path, async (req, res, params) => {
    try {
      const { token, store } = authenticate(req, context.storesByToken, context.uaaTokens);
      for (const [name, value] of Object.entries(context.rateLimiter.take(token))) res.setHeader(name, value);
      await handler({ req, res, params, url: requestUrl(req), store, baseUrl: context.baseUrl });
    } catch (error) {
      if (error instanceof CfApiError) sendJson(res, error.status, error.body, error.headers);
      // I: CC's nginx would answer 413 with an HTML page; a JSON parse error keeps clients on CC's error form.
      else if (error instanceof BodyTooLargeError)
        sendJson(res, 400, new CfApiError('MessageParseError', 'request body too large').body);
      else throw error;
    }
  });
}

/**
 * A JSON object request body. CC answers a body that does not parse, or is not an object, with 400
 * `CF-MessageParseError` ("Request invalid due to parse error: invalid request body"); an empty body reads as `{}`.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new CfApiError('MessageParseError', 'invalid request body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CfApiError('MessageParseError', 'invalid request body');
  return value as Record<string, unknown>;
}
