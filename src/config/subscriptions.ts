import type { SettingsReader } from './reader.js';
import { int, setting } from './setting.js';

/** Subscriptions over WebSocket and SSE (docs/subscriptions.md). */

export interface SubscriptionConfig {
  /** Subscriptions one WebSocket connection may run at once. */
  maxPerConnection: number;
  /** Subscriptions the gateway runs at once, over both transports. */
  maxTotal: number;
  /** A WebSocket connection with no subscription for this long is closed. */
  idleTimeoutMs: number;
  /** WebSocket ping interval; a connection that misses a pong is closed. */
  keepAliveMs: number;
  /** How long a WebSocket client has to send `connection_init`. */
  connectionInitTimeoutMs: number;
  /** The longest interval of a shared poll while nothing changes. */
  pollMaxMs: number;
  /** How long a job the upstream does not know yet is waited for before NOT_FOUND. */
  unknownGraceMs: number;
  /** How long an upstream may keep failing before the subscriptions on it end. */
  upstreamOutageMs: number;
  /** SSE stream reservations (PUT): per caller, in all, and how long an unopened one is kept. */
  sseReservations: { perCaller: number; total: number; ttlMs: number };
}

export const SUBSCRIPTIONS_PER_CONNECTION = setting({
  name: 'SUBSCRIPTIONS_PER_CONNECTION',
  type: int({ min: 1, max: 10_000 }),
  default: 50,
  example: '10',
  description:
    'subscriptions one WebSocket runs at once (`TOO_MANY_SUBSCRIPTIONS` beyond); see [docs/subscriptions.md](docs/subscriptions.md)',
});
export const SUBSCRIPTIONS_MAX = setting({
  name: 'SUBSCRIPTIONS_MAX',
  type: int({ min: 1, max: 1_000_000 }),
  default: 5_000,
  example: '1000',
  description: 'subscriptions the gateway runs at once, both transports',
});
export const SUBSCRIPTION_IDLE_TIMEOUT_MS = setting({
  name: 'SUBSCRIPTION_IDLE_TIMEOUT_MS',
  type: int({ min: 1_000, max: 86_400_000 }),
  default: 300_000,
  example: '60000',
  description: 'a WebSocket without a subscription this long is closed (4000)',
});
export const SUBSCRIPTION_KEEPALIVE_MS = setting({
  name: 'SUBSCRIPTION_KEEPALIVE_MS',
  type: int({ min: 1_000, max: 600_000 }),
  default: 12_000,
  example: '30000',
  description: 'WebSocket ping interval (a missed pong closes it); SSE comment interval',
});
export const SUBSCRIPTION_INIT_TIMEOUT_MS = setting({
  name: 'SUBSCRIPTION_INIT_TIMEOUT_MS',
  type: int({ min: 100, max: 600_000 }),
  default: 10_000,
  example: '3000',
  description: 'time a WebSocket client has to send `connection_init` (then 4408)',
});
export const SUBSCRIPTION_POLL_MAX_MS = setting({
  name: 'SUBSCRIPTION_POLL_MAX_MS',
  type: int({ min: 100, max: 600_000 }),
  default: 1_000,
  example: '5000',
  description: 'longest interval of a shared poll while nothing changes',
});
export const SUBSCRIPTION_UNKNOWN_GRACE_MS = setting({
  name: 'SUBSCRIPTION_UNKNOWN_GRACE_MS',
  type: int({ min: 0, max: 600_000 }),
  default: 5_000,
  example: '10000',
  description: 'how long a job the upstream does not know yet is waited for',
});
export const SUBSCRIPTION_UPSTREAM_OUTAGE_MS = setting({
  name: 'SUBSCRIPTION_UPSTREAM_OUTAGE_MS',
  type: int({ min: 0, max: 3_600_000 }),
  default: 30_000,
  example: '60000',
  description: 'how long an upstream may keep failing before its subscriptions end',
});
export const SSE_RESERVATIONS_PER_CALLER = setting({
  name: 'SSE_RESERVATIONS_PER_CALLER',
  type: int({ min: 1, max: 10_000 }),
  default: 16,
  example: '4',
  description:
    'reserved SSE streams (`PUT /graphql`) one caller (gateway credential + upstream credentials) holds at once; beyond: 429 `TOO_MANY_SUBSCRIPTIONS`',
});
export const SSE_RESERVATIONS_MAX = setting({
  name: 'SSE_RESERVATIONS_MAX',
  type: int({ min: 1, max: 1_000_000 }),
  default: 1_000,
  example: '5000',
  description: 'reserved SSE streams the gateway holds at once, all callers',
});
export const SSE_RESERVATION_TTL_MS = setting({
  name: 'SSE_RESERVATION_TTL_MS',
  type: int({ min: 1_000, max: 600_000 }),
  default: 30_000,
  example: '10000',
  description: 'a reserved SSE stream not opened (`GET`) within this is dropped, with its operations',
});

export const subscriptionSettings = [
  SUBSCRIPTIONS_PER_CONNECTION,
  SUBSCRIPTIONS_MAX,
  SUBSCRIPTION_IDLE_TIMEOUT_MS,
  SUBSCRIPTION_KEEPALIVE_MS,
  SUBSCRIPTION_INIT_TIMEOUT_MS,
  SUBSCRIPTION_POLL_MAX_MS,
  SUBSCRIPTION_UNKNOWN_GRACE_MS,
  SUBSCRIPTION_UPSTREAM_OUTAGE_MS,
  SSE_RESERVATIONS_PER_CALLER,
  SSE_RESERVATIONS_MAX,
  SSE_RESERVATION_TTL_MS,
];

export function readSubscriptions(reader: SettingsReader): SubscriptionConfig {
  return {
    maxPerConnection: reader.get(SUBSCRIPTIONS_PER_CONNECTION),
    maxTotal: reader.get(SUBSCRIPTIONS_MAX),
    idleTimeoutMs: reader.get(SUBSCRIPTION_IDLE_TIMEOUT_MS),
    keepAliveMs: reader.get(SUBSCRIPTION_KEEPALIVE_MS),
    connectionInitTimeoutMs: reader.get(SUBSCRIPTION_INIT_TIMEOUT_MS),
    pollMaxMs: reader.get(SUBSCRIPTION_POLL_MAX_MS),
    unknownGraceMs: reader.get(SUBSCRIPTION_UNKNOWN_GRACE_MS),
    upstreamOutageMs: reader.get(SUBSCRIPTION_UPSTREAM_OUTAGE_MS),
    sseReservations: {
      perCaller: reader.get(SSE_RESERVATIONS_PER_CALLER),
      total: reader.get(SSE_RESERVATIONS_MAX),
      ttlMs: reader.get(SSE_RESERVATION_TTL_MS),
    },
  };
}
