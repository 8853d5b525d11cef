/**
 * The GraphiQL page and its assets (`GET /`, `GET /graphql` with `Accept: text/html`, `/graphiql/assets/*`). A
 * Content-Security-Policy keeps every request on the gateway's own origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphiqlAssets } from './assets.js';
import { EXAMPLE_TABS } from './examples.js';

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Whether a GET is a browser asking for a page rather than a GraphQL client asking for JSON. */
export function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !/application\/(graphql-response\+)?json/.test(accept.split(',')[0] ?? '');
}

function escapeForScriptBlock(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function renderPage(): string {
  const settings = escapeForScriptBlock(JSON.stringify({ endpoint: '/graphql', tabs: EXAMPLE_TABS }));
  const asset = (name: string) => `${GRAPHIQL_ASSET_PREFIX}${name}?v=${graphiqlAssets().get(name)!.etag.slice(1, 11)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>imagegraph · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="application/json" id="imagegraph-settings">${settings}</script>
<script src="${asset('react.js')}"></script>
<script src="${asset('react-dom.js')}"></script>
<script src="${asset('graphiql.js')}"></script>
<script src="${asset('graphql-ws.js')}"></script>
<script src="${asset('app.js')}"></script>
</body>
</html>
`;
}

let page: Buffer | undefined;

export function sendGraphiqlPage(res: ServerResponse): void {
  page ??= Buffer.from(renderPage());
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': page.length,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(page);
}

/** Serves `/graphiql/assets/<name>`; returns false when there is no such asset. */
export function sendGraphiqlAsset(req: IncomingMessage, res: ServerResponse, name: string): boolean {
  const asset = graphiqlAssets().get(name);
  if (!asset) return false;
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, { etag: asset.etag });
    res.end();
    return true;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    vary: 'accept-encoding',
    etag: asset.etag,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}
