/**
 * What every Docker Cloud route does around its operation, in the order Django + Tastypie would: the trailing-slash
 * redirect (middleware, before anything else), the method check (405), authentication (401), the `Accept` check
 * (415), then the namespace (404). Operations throw `DockerCloudError` for the upstream's `{"error": …}` answers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type createRouter from 'find-my-way';
import { sendEmpty, sendJson } from '../shared/http.js';
import type { Accounts } from './auth.js';
import { DockerCloudError, errorBody } from './errors.js';
import type { NamespaceRepositories } from './store.js';

export type RouteHandler = createRouter.Handler<createRouter.HTTPVersion.V1>;

export interface ApiCall {
  readonly req: IncomingMessage;
  /** The path as the caller sent it, without the query: list links are built on it. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The namespace the path addresses (the caller's own when the segment is omitted). */
  readonly repositories: NamespaceRepositories;
  /** A detail route's wildcard capture without its trailing slash: a repository name or a registry host. */
  readonly id: string;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
  sendEmpty(status: number): void;
}

export type ApiOperation = (call: ApiCall) => void | Promise<void>;

/** The audit action every call creates (§1, action.md); no action endpoint is emulated, the URI is opaque. */
function actionHeader(): Record<string, string> {
  return { 'x-dockercloud-action-uri': `/api/audit/v1/action/${randomUUID()}/` };
}

export function apiRoute(accounts: Accounts, operation: ApiOperation): RouteHandler {
  return async (req, res, params) => {
    // (I) An action is recorded only once the caller is known: 401s carry no action header.
    let headers: Record<string, string> = {};
    try {
      const auth = accounts.authenticate(req.headers.authorization);
      // Tastypie's BasicAuthentication challenges with WWW-Authenticate on a 401.
      if (!auth.ok) throw new DockerCloudError(401, auth.reason, { 'www-authenticate': 'Basic realm="Docker Cloud"' });
      headers = actionHeader();
      checkAccept(req.headers.accept);
      // Unknown namespace and "not a member" answer alike, 404: `_errors.md` reserves 403 for "quota limit
      // exceeded", and a 404 does not reveal whether another account's namespace exists.
      const repositories = auth.tenant.namespace(params.namespace);
      if (!repositories) throw new DockerCloudError(404, `Namespace '${params.namespace}' not found.`);
      const { path, query } = splitUrl(req);
      await operation({
        req,
        path,
        query: new URLSearchParams(query ?? ''),
        repositories,
        id: (params['*'] ?? '').replace(/\/$/, ''),
        send: (status, body, extra = {}) => sendJson(res, status, body, { ...headers, ...extra }),
        sendEmpty: (status) => sendEmpty(res, status, headers),
      });
    } catch (error) {
      if (!(error instanceof DockerCloudError)) throw error;
      sendJson(res, error.status, error.body, { ...headers, ...error.headers });
    }
  };
}

/**
 * §1: `Accept: application/json` is required and `_errors.md` answers a wrong one with 415. A missing header, or
 * one that admits JSON (`*\/*`, `application/*`, `application/json`), is accepted.
 */
function checkAccept(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const admitsJson = accept
    .split(',')
    .map((range) => range.split(';')[0]!.trim().toLowerCase())
    .some((type) => type === '*/*' || type === 'application/*' || type === 'application/json');
  if (!admitsJson)
    throw new DockerCloudError(415, `Unsupported Accept header '${accept}': responses are application/json.`);
}

/** Tastypie checks the method before authenticating; `_errors.md` documents 405 with an `{"error": …}` body. */
export function methodNotAllowed(allowed: readonly string[]): RouteHandler {
  const allow = allowed.join(', ');
  return (req, res) =>
    sendJson(res, 405, { error: `Method '${req.method}' is not allowed here; allowed: ${allow}.` }, { allow });
}

/**
 * A URL without its trailing slash (§1: every URL ends in `/`). Django's CommonMiddleware (APPEND_SLASH) answers
 * before any view runs, so before auth: a GET (or HEAD) gets a 301 to the slashed URL, query kept. Django would
 * also redirect other methods in production (and raise in DEBUG), but a client following a 301 re-sends a POST or
 * PATCH as a body-less GET; a 404 surfaces the mistake instead and is faithful enough ("the object cannot be found").
 */
export const appendSlash: RouteHandler = (req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const { path, query } = splitUrl(req);
    sendEmpty(res, 301, { location: `${path}/${query === undefined ? '' : `?${query}`}` });
    return;
  }
  sendJson(res, 404, errorBody(404));
};

/** A detail route (`…/repository/*`, `…/registry/*`): the wildcard capture must end in `/`, else `appendSlash`. */
export function requireTrailingSlash(handler: RouteHandler): RouteHandler {
  return (req, res, params, store, searchParams) =>
    (params['*'] ?? '').endsWith('/')
      ? handler(req, res, params, store, searchParams)
      : appendSlash(req, res, params, store, searchParams);
}

/** The raw path and query string (without `?`; undefined when there is none) of a request. */
function splitUrl(req: IncomingMessage): { path: string; query: string | undefined } {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  return mark < 0 ? { path: url, query: undefined } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}
