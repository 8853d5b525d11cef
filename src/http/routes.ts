/**
 * The gateway's HTTP surface: GraphQL, GraphiQL, health, readiness, metrics and the client cache configuration.
 * Unknown paths answer 404.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { GRAPHIQL_ASSET_PREFIX, sendGraphiqlAsset, sendGraphiqlPage, wantsHtml } from '../graphiql/page.js';
import type { ClientConfig } from '../clientConfig.js';
import type { ClientAuthenticator } from './clientAuth.js';
import type { CorsHandler } from './cors.js';
import { handleGraphQL, type GraphQLHandlerOptions } from './graphql.js';
import { sendMetrics, type MetricsSource } from './metrics.js';
import { assignRequestId, type HttpRequestLogger } from './requestLog.js';
import { sendError, sendJson } from './respond.js';
import { isSseRequest, type SseHandler } from '../subscriptions/index.js';

export interface RouteOptions extends GraphQLHandlerOptions {
  graphiql: boolean;
  /** Checks the client's gateway token (GATEWAY_TOKENS) or JWT (JWT_JWKS_URL); null when none is required. */
  clientAuth: ClientAuthenticator | null;
  /** GraphQL over Server-Sent Events (subscriptions): `/graphql` requests that ask for an event stream. */
  sse: SseHandler | null;
  /** Cross-origin handling (CORS_ORIGINS); null when only the same origin may call. */
  cors: CorsHandler | null;
  /** Readiness: resolves to the names of the dependencies that are not ready (empty when ready). */
  notReady(): Promise<string[]>;
  /** Served at `/metrics`, behind the gateway token when one is required; null when served on a port of its own. */
  metrics: MetricsSource | null;
  /**
   * Served at `/client-config.json` (possibleTypes, keyFields: docs/clients.md) to the same callers as `/graphql`;
   * null when introspection is off, since it names the schema's types.
   */
  clientConfig: ClientConfig | null;
  onUnexpected(error: unknown): void;
  /** Writes the request's line when the GraphQL pipeline does not (http/requestLog.ts). */
  logRequest: HttpRequestLogger;
}

export function createRequestListener(options: RouteOptions): RequestListener {
  return (req, res) => {
    const requestId = assignRequestId(req);
    options.logRequest(req, res);
    res.setHeader('x-request-id', requestId);
    route(req, res, options).catch((error: unknown) => {
      options.onUnexpected(error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: RouteOptions): Promise<void> {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const browsing = options.graphiql && (req.method === 'GET' || req.method === 'HEAD');
  if (
    browsing &&
    path.startsWith(GRAPHIQL_ASSET_PREFIX) &&
    sendGraphiqlAsset(req, res, path.slice(GRAPHIQL_ASSET_PREFIX.length))
  )
    return;
  switch (path) {
    case '/':
      if (browsing) return sendGraphiqlPage(res);
      break;
    case '/graphql':
      if (options.cors && (await options.cors(req, res)) === 'handled') return;
      if (browsing && wantsHtml(req)) return sendGraphiqlPage(res);
      if (!(await authenticated(req, res, options))) return;
      if (options.sse && isSseRequest(req)) return options.sse(req, res);
      return handleGraphQL(req, res, options);
    case '/client-config.json':
      if (!options.clientConfig) break;
      if (options.cors && (await options.cors(req, res)) === 'handled') return;
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Read the client configuration with GET', {
          allow: 'GET, HEAD',
        });
      if (!(await authenticated(req, res, options))) return;
      return sendJson(res, 200, options.clientConfig);
    case '/healthz':
      return sendJson(res, 200, { status: 'ok' });
    case '/metrics':
      if (!options.metrics) break;
      if (!(await authenticated(req, res, options))) return;
      return sendMetrics(req, res, options.metrics);
    case '/readyz': {
      const notReady = await options.notReady();
      return sendJson(res, notReady.length === 0 ? 200 : 503, {
        status: notReady.length === 0 ? 'ready' : 'not ready',
        notReady,
      });
    }
  }
  sendError(res, 404, 'NOT_FOUND', `Nothing at ${path}: GraphQL is served at /graphql`);
}

/** True when no client credential is required, or the request presents a valid one; otherwise answers 401 (or 503). */
async function authenticated(req: IncomingMessage, res: ServerResponse, options: RouteOptions): Promise<boolean> {
  if (!options.clientAuth) return true;
  const verdict = await options.clientAuth(req);
  if (verdict.ok) return true;
  if (verdict.status === 503) sendError(res, 503, 'SERVICE_UNAVAILABLE', verdict.message, { 'retry-after': '5' });
  else
    sendError(res, 401, 'UNAUTHENTICATED', verdict.message, {
      'www-authenticate': 'Bearer realm="imagegraph"',
    });
  return false;
}
