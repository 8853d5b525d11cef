/**
 * One place that reports a refused subscription connection, stream or reservation (a missing gateway token, too many
 * subscriptions or reservations, another caller's stream token, shutdown): an info log line with the request id and
 * the reason, and `imagegraph_subscriptions_refused_total{transport,reason}`. Refusals are the client's problem, not
 * the gateway's: info, never error.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../logging.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Transport } from '../pipeline/operation.js';

export type RefusalReason =
  | 'unauthenticated'
  | 'origin_not_allowed'
  | 'too_many_subscriptions'
  | 'too_many_reservations'
  | 'stream_not_found'
  | 'stream_forbidden'
  | 'shutting_down';

export type ReportRefusal = (transport: Transport, reason: RefusalReason, requestId: string, detail: string) => void;

export function createRefusalReporter(logger: Logger, metrics: GatewayMetrics): ReportRefusal {
  return (transport, reason, requestId, detail) => {
    metrics.subscriptionRefused(transport, reason);
    logger.info({ requestId, transport, reason, detail }, 'subscription refused');
  };
}

/** The client's `x-request-id` when it is a plain id, otherwise a new one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}
