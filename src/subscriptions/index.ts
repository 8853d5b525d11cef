/**
 * Subscriptions on the gateway's port and path: WebSocket (graphql-ws) through the HTTP server's `upgrade` event,
 * SSE (graphql-sse) through the routes, both running operations.ts over the shared polls. server.ts wires it in.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { ContextServices } from '../context.js';
import type { Logger } from '../logging.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { JOB_POLL_BACKOFF } from '../pollBackoff.js';
import type { UpstreamPools } from '../upstreams/index.js';
import type { ClientCheck } from './connectionAuth.js';
import { SubscriptionOperations, type FormatError } from './operations.js';
import { SharedPolls } from './sharedPolls.js';
import { createRefusalReporter, type ReportRefusal } from './refusals.js';
import { createSseTransport, type SseHandler } from './sse.js';
import { createWebSocketTransport, type WebSocketTransport } from './websocket.js';

export { isSseRequest, type SseHandler } from './sse.js';

export interface SubscriptionServerOptions {
  config: Config;
  schema: GraphQLSchema;
  pools: UpstreamPools;
  services: ContextServices;
  formatError: FormatError;
  logger: Logger;
  metrics: GatewayMetrics;
  clientCheck: ClientCheck;
}

export interface SubscriptionServer {
  readonly polls: SharedPolls;
  readonly operations: SubscriptionOperations;
  /** Reports a refused subscription request (the routes' client check refuses SSE requests before they get here). */
  readonly reportRefusal: ReportRefusal;
  handleUpgrade: WebSocketTransport['handleUpgrade'];
  handleSse: SseHandler;
  /**
   * Shutdown: every subscription gets a last SHUTTING_DOWN error then its `complete` (the shared polls end), waiting
   * at most `graceMs` for them to be sent; then the WebSocket connections close (1001) and reserved SSE streams end.
   */
  close(graceMs: number): Promise<void>;
}

export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { config } = options;
  const polls = new SharedPolls(
    options.pools,
    {
      backoff: { firstMs: JOB_POLL_BACKOFF.firstMs, maxMs: config.subscriptions.pollMaxMs },
      unknownGraceMs: config.subscriptions.unknownGraceMs,
      outageMs: config.subscriptions.upstreamOutageMs,
      retryBudget: config.retryBudgetPerRequest,
      readTimeoutMs: config.requestTimeoutMs,
    },
    options.metrics,
  );
  const reportRefusal = createRefusalReporter(options.logger, options.metrics);
  const operations = new SubscriptionOperations({ ...options, polls, reportRefusal });
  const websocket = createWebSocketTransport({
    config,
    schema: options.schema,
    operations,
    clientCheck: options.clientCheck,
    reportRefusal,
  });
  const sse = createSseTransport({
    operations,
    maxBodyBytes: config.limits.maxBodyBytes,
    reservations: config.subscriptions.sseReservations,
    maxPerStream: config.subscriptions.maxPerConnection,
    reportRefusal,
  });
  let closing: Promise<void> | null = null;
  return {
    polls,
    operations,
    reportRefusal,
    handleUpgrade: websocket.handleUpgrade,
    handleSse: sse.handle,
    close(graceMs) {
      closing ??= (async () => {
        polls.close();
        const grace = new AbortController();
        await Promise.race([
          operations.whenIdle(),
          sleep(graceMs, undefined, { signal: grace.signal }).catch(() => {}),
        ]);
        grace.abort();
        // The transports send `complete` as their streams end, a turn after the last one ended.
        await nextTurn();
        await Promise.all([websocket.close(), sse.close()]);
      })();
      return closing;
    },
  };
}
