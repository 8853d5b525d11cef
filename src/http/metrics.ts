/**
 * `GET /metrics` in the Prometheus text format. On the main listener it sits behind the gateway token when
 * GATEWAY_TOKENS is set (routes.ts); with METRICS_PORT it is served alone on a listener of its own, without token,
 * for a scraper on a private network.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendError } from './respond.js';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export async function sendMetrics(req: IncomingMessage, res: ServerResponse, metrics: MetricsSource): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Metrics are read with GET', { allow: 'GET, HEAD' });
  const text = await metrics.render();
  res.writeHead(200, {
    'content-type': metrics.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** The request listener of the separate metrics port: `/metrics` and nothing else. */
export function createMetricsListener(metrics: MetricsSource, onUnexpected: (error: unknown) => void): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics') return sendError(res, 404, 'NOT_FOUND', 'Only /metrics is served on this port');
    sendMetrics(req, res, metrics).catch((error: unknown) => {
      onUnexpected(error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };
}
