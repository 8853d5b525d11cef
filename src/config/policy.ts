import type { SettingsReader } from './reader.js';
import { int, setting, type Setting, type SettingType, type SettingWithDefault } from './setting.js';
import { UPSTREAM_NAMES, UPSTREAM_PREFIXES, type UpstreamName } from './upstreams.js';

/**
 * How the gateway treats each upstream. Every policy setting is a template read as `<UPSTREAM>_<SETTING>` (e.g.
 * `CF_FIRST_BYTE_TIMEOUT_MS`), falling back to `UPSTREAM_<SETTING>`, falling back to the default.
 */

export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From request sent to response headers received. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

/** How the gateway treats one upstream: timeouts, concurrency, retries and the circuit breaker. */
export interface UpstreamPolicy {
  timeouts: UpstreamTimeouts;
  /** Keep-alive connections to the upstream: also the cap on concurrent requests to it (the rest wait in line). */
  connections: number;
  /** Retries of an idempotent read (GET) after 502/503/504, 429, a reset connection or a timeout. */
  retries: number;
  /** First retry delay; doubles per attempt, with full jitter. */
  retryBaseDelayMs: number;
  /** A 429/503 `Retry-After` longer than this is not waited for: the error is returned instead. */
  maxRetryAfterMs: number;
  /**
   * Each caller's retries to this upstream over time (one budget per caller credential, kept with its circuit): every
   * call earns `percent` hundredths of a retry, and `minPerSecond` retries a second are allowed whatever the calls.
   */
  callerRetryBudget: { percent: number; minPerSecond: number };
  /**
   * Identical GETs in flight at once with the same credentials share one request, with at most this many waiters
   * each (upstreams/shared/coalescing.ts); 0 turns coalescing off.
   */
  coalesceWaiters: number;
  /**
   * Largest response body read (`<UPSTREAM>_MAX_RESPONSE_BYTES`), archives excepted: a larger one is cut off where it
   * passes the bound and fails its fields with UPSTREAM_ERROR (reason RESPONSE_TOO_LARGE).
   */
  maxResponseBytes: number;
  /** Largest archive body (a package download): UPLOAD_MAX_BYTES, the largest archive the gateway takes in. */
  maxArchiveBytes: number;
  breaker: {
    /** Failure percentage (5xx, timeouts, connection errors) over the rolling window that opens the circuit. */
    errorThresholdPercentage: number;
    /** Requests in the window before the percentage counts. */
    volumeThreshold: number;
    /** Rolling window length. */
    windowMs: number;
    /** How long the circuit stays open before one probe request may close it. */
    resetMs: number;
    /** Circuits kept per upstream (one per caller credential); past it the least recently used is dropped. */
    maxCircuits: number;
    /** A circuit unused this long is dropped (a caller that comes back starts closed). */
    idleMs: number;
  };
}

export interface UpstreamEndpoint extends UpstreamPolicy {
  /** Base URL; may carry a path prefix (e.g. `https://cloud.docker.com/`). */
  url: string;
}

/** One policy setting: `setting` is the variable's name without its `UPSTREAM_` or `<UPSTREAM>_` prefix. */
export interface PolicySetting {
  readonly setting: string;
  readonly type: SettingType<number>;
  readonly default: number;
  readonly defaultDoc?: string;
  readonly description: string;
}

const policy = (declaration: PolicySetting) => declaration;

/**
 * The default bound of an upstream's response body. The largest page the gateway asks for (MAX_PAGE_SIZE items, with
 * includes) is a small fraction of it; a body this size still parses within the production heap with room to spare.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

const CONNECT_TIMEOUT_MS = policy({
  setting: 'CONNECT_TIMEOUT_MS',
  type: int({ min: 1, max: 600_000 }),
  default: 3_000,
  description: 'TCP/TLS connect',
});
const FIRST_BYTE_TIMEOUT_MS = policy({
  setting: 'FIRST_BYTE_TIMEOUT_MS',
  type: int({ min: 1, max: 600_000 }),
  default: 10_000,
  description: 'request sent → response headers',
});
const TOTAL_TIMEOUT_MS = policy({
  setting: 'TOTAL_TIMEOUT_MS',
  type: int({ min: 1, max: 600_000 }),
  default: 15_000,
  description: 'the whole exchange, body included, and any wait for a free connection of the pool (`POOL_CONNECTIONS`)',
});
const POOL_CONNECTIONS = policy({
  setting: 'POOL_CONNECTIONS',
  type: int({ min: 1, max: 1024 }),
  default: 32,
  description: 'keep-alive connections, also the cap on concurrent requests to that upstream',
});
const COALESCE_WAITERS = policy({
  setting: 'COALESCE_WAITERS',
  type: int({ min: 0, max: 10_000 }),
  default: 100,
  description:
    'identical reads (GET, same credential headers, same URL) in flight at once share one upstream request, up to this many waiters each (one more starts a new request); each waiter keeps its own deadline, and the request is cancelled only when all have left; `0` turns sharing off',
});
const RETRIES = policy({
  setting: 'RETRIES',
  type: int({ min: 0, max: 10 }),
  default: 2,
  description:
    'retries of an idempotent read (GET) after 429/502/503/504, a timeout or a reset connection; writes never',
});
const RETRY_BASE_DELAY_MS = policy({
  setting: 'RETRY_BASE_DELAY_MS',
  type: int({ min: 1, max: 60_000 }),
  default: 100,
  description: 'first backoff (doubles, full jitter); a `Retry-After` is honoured exactly',
});
const MAX_RETRY_AFTER_MS = policy({
  setting: 'MAX_RETRY_AFTER_MS',
  type: int({ min: 0, max: 600_000 }),
  default: 2_000,
  description: 'a longer `Retry-After` is not waited for: the error is returned',
});
const RETRY_BUDGET_PERCENT = policy({
  setting: 'RETRY_BUDGET_PERCENT',
  type: int({ min: 0, max: 1_000 }),
  default: 20,
  description: "each caller's retries to the upstream over time: every call earns this share of a retry…",
});
const RETRY_BUDGET_MIN_PER_SECOND = policy({
  setting: 'RETRY_BUDGET_MIN_PER_SECOND',
  type: int({ min: 0, max: 10_000 }),
  default: 10,
  description: "…and this many a second are allowed whatever the calls (a caller starts with ten seconds' worth)",
});
const MAX_RESPONSE_BYTES = policy({
  setting: 'MAX_RESPONSE_BYTES',
  type: int({ min: 1024, max: 1024 * 1024 * 1024 }),
  default: DEFAULT_MAX_RESPONSE_BYTES,
  defaultDoc: '`4194304` (4 MiB)',
  description:
    'largest response body read from that upstream (a package archive: `UPLOAD_MAX_BYTES`); a larger declared `content-length` is refused up front, a larger body is cut off at that byte; either fails its fields with `UPSTREAM_ERROR` (`reason: RESPONSE_TOO_LARGE`)',
});
const BREAKER_ERROR_PERCENTAGE = policy({
  setting: 'BREAKER_ERROR_PERCENTAGE',
  type: int({ min: 1, max: 100 }),
  default: 50,
  description: 'failure share (5xx, timeouts, connection errors) that opens the circuit',
});
const BREAKER_VOLUME = policy({
  setting: 'BREAKER_VOLUME',
  type: int({ min: 1, max: 100_000 }),
  default: 20,
  description: 'requests in the window before that share counts',
});
const BREAKER_WINDOW_MS = policy({
  setting: 'BREAKER_WINDOW_MS',
  type: int({ min: 100, max: 600_000 }),
  default: 10_000,
  description: 'rolling window',
});
const BREAKER_RESET_MS = policy({
  setting: 'BREAKER_RESET_MS',
  type: int({ min: 10, max: 600_000 }),
  default: 5_000,
  description: 'open time before one probe request may close it',
});
const BREAKER_MAX_CIRCUITS = policy({
  setting: 'BREAKER_MAX_CIRCUITS',
  type: int({ min: 1, max: 100_000 }),
  default: 1_000,
  description: 'circuits kept (one per caller credential); past it the least recently used is dropped',
});
const BREAKER_IDLE_MS = policy({
  setting: 'BREAKER_IDLE_MS',
  type: int({ min: 1_000, max: 86_400_000 }),
  default: 600_000,
  description: 'a circuit unused this long is dropped (its caller starts closed again)',
});

/** In the README's order. */
export const POLICY_SETTINGS: readonly PolicySetting[] = [
  CONNECT_TIMEOUT_MS,
  FIRST_BYTE_TIMEOUT_MS,
  TOTAL_TIMEOUT_MS,
  POOL_CONNECTIONS,
  COALESCE_WAITERS,
  RETRIES,
  RETRY_BASE_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  RETRY_BUDGET_PERCENT,
  RETRY_BUDGET_MIN_PER_SECOND,
  MAX_RESPONSE_BYTES,
  BREAKER_ERROR_PERCENTAGE,
  BREAKER_VOLUME,
  BREAKER_WINDOW_MS,
  BREAKER_RESET_MS,
  BREAKER_MAX_CIRCUITS,
  BREAKER_IDLE_MS,
];

/** The per-upstream variable of a policy setting, as messages name it: `CYCLE_MAX_RESPONSE_BYTES`. */
export function upstreamVariable(name: UpstreamName, setting: string): string {
  return `${UPSTREAM_PREFIXES[name]}_${setting}`;
}

/** The variable of a policy setting for every upstream (`UPSTREAM_RETRIES`), or for one (`CF_RETRIES`). */
function policyVariable(declaration: PolicySetting, upstream: UpstreamName | 'all'): SettingWithDefault<number> {
  const name = upstream === 'all' ? `UPSTREAM_${declaration.setting}` : upstreamVariable(upstream, declaration.setting);
  return setting({ name, type: declaration.type, default: declaration.default, description: declaration.description });
}

/** Every variable the policy settings are read from. */
export const policySettings: readonly Setting<number>[] = POLICY_SETTINGS.flatMap((declaration) =>
  (['all', ...UPSTREAM_NAMES] as const).map((upstream) => policyVariable(declaration, upstream)),
);

/** One upstream's policy; `maxArchiveBytes` is UPLOAD_MAX_BYTES, read once for all upstreams. */
export function readPolicy(reader: SettingsReader, name: UpstreamName, maxArchiveBytes: number): UpstreamPolicy {
  const read = (declaration: PolicySetting): number =>
    reader.get(policyVariable(declaration, name), reader.get(policyVariable(declaration, 'all')));
  return {
    timeouts: {
      connectMs: read(CONNECT_TIMEOUT_MS),
      firstByteMs: read(FIRST_BYTE_TIMEOUT_MS),
      totalMs: read(TOTAL_TIMEOUT_MS),
    },
    connections: read(POOL_CONNECTIONS),
    coalesceWaiters: read(COALESCE_WAITERS),
    retries: read(RETRIES),
    retryBaseDelayMs: read(RETRY_BASE_DELAY_MS),
    maxRetryAfterMs: read(MAX_RETRY_AFTER_MS),
    callerRetryBudget: {
      percent: read(RETRY_BUDGET_PERCENT),
      minPerSecond: read(RETRY_BUDGET_MIN_PER_SECOND),
    },
    maxResponseBytes: read(MAX_RESPONSE_BYTES),
    maxArchiveBytes,
    breaker: {
      errorThresholdPercentage: read(BREAKER_ERROR_PERCENTAGE),
      volumeThreshold: read(BREAKER_VOLUME),
      windowMs: read(BREAKER_WINDOW_MS),
      resetMs: read(BREAKER_RESET_MS),
      maxCircuits: read(BREAKER_MAX_CIRCUITS),
      idleMs: read(BREAKER_IDLE_MS),
    },
  };
}
