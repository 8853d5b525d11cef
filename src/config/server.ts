import { availableParallelism } from 'node:os';
import type { SettingsReader } from './reader.js';
import { bool, int, oneOf, setting, text, type SettingType } from './setting.js';

/** The listener, the process and what it serves besides `/graphql`. */

export const HOST = setting({
  name: 'HOST',
  type: text(),
  default: '127.0.0.1',
  example: '0.0.0.0',
  description:
    'listen address. Beyond loopback with service credentials, `GATEWAY_TOKENS` (or `JWT_JWKS_URL`) is required',
});
export const PORT = setting({
  name: 'PORT',
  type: int({ min: 0, max: 65535 }),
  default: 4000,
  example: '8080',
  description: 'listen port (`0`: any free port)',
});
export const NODE_ENV = setting({
  name: 'NODE_ENV',
  type: oneOf(['development', 'production', 'test'] as const),
  default: 'production',
  example: 'development',
  description: '`development` shows error details and stack traces',
});
export const LOG_LEVEL = setting({
  name: 'LOG_LEVEL',
  type: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  default: 'info',
  example: 'debug',
  description: '`fatal`, `error`, `warn`, `info`, `debug` (adds one line per upstream request), `trace`, `silent`',
});
export const INTROSPECTION = setting({
  name: 'INTROSPECTION',
  type: bool(),
  defaultDoc: 'on in sandbox/development',
  example: 'false',
  description: 'schema introspection (and "did you mean" hints)',
});
export const GRAPHIQL = setting({
  name: 'GRAPHIQL',
  type: bool(),
  defaultDoc: 'as `INTROSPECTION`',
  example: 'false',
  description: 'GraphiQL at `/`',
});
export const READINESS_PROBES_UPSTREAMS = setting({
  name: 'READINESS_PROBES_UPSTREAMS',
  type: bool(),
  default: false,
  example: 'true',
  description: '`/readyz` also probes each credentialed upstream',
});
export const SHUTDOWN_GRACE_MS = setting({
  name: 'SHUTDOWN_GRACE_MS',
  type: int({ min: 0, max: 600_000 }),
  default: 10_000,
  example: '25000',
  description:
    'on SIGTERM/SIGINT, how long in-flight requests may take; those still unanswered then get a 503 GraphQL error',
});
export const METRICS_PORT = setting({
  name: 'METRICS_PORT',
  type: int({ min: 0, max: 65535 }),
  defaultDoc: '— (`/metrics` on `PORT`)',
  example: '9464',
  description: 'serve `/metrics` on its own listener instead, without gateway token',
});
export const METRICS_HOST = setting({
  name: 'METRICS_HOST',
  type: text(),
  defaultDoc: 'as `HOST`',
  example: '0.0.0.0',
  description: 'address of that listener',
});

/** More workers than this only adds memory: each holds its own schema, pools and caches. */
const MAX_WORKERS = 64;

/** `auto` (one per available CPU, at most MAX_WORKERS) or a count. */
const workerCount: SettingType<number> = {
  parse(raw, name) {
    if (raw === 'auto') return { value: Math.min(availableParallelism(), MAX_WORKERS) };
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS) return { value };
    return { problem: `${name} must be "auto" or an integer from 1 to ${MAX_WORKERS}, got "${raw}"` };
  },
  show: (value) => `\`${value}\``,
  accepts: `\`auto\`, 1–${MAX_WORKERS}`,
};

export const WORKERS = setting({
  name: 'WORKERS',
  type: workerCount,
  default: 1,
  example: '`auto`, `4`',
  description: 'gateway processes sharing the port (node:cluster); `auto`: one per available CPU. See *Cluster mode*',
});

export const serverSettings = [
  HOST,
  PORT,
  NODE_ENV,
  LOG_LEVEL,
  INTROSPECTION,
  GRAPHIQL,
  READINESS_PROBES_UPSTREAMS,
  SHUTDOWN_GRACE_MS,
  METRICS_PORT,
  METRICS_HOST,
  WORKERS,
];

export function readMetricsListener(reader: SettingsReader, host: string): { host: string; port: number } | null {
  if (!reader.isSet(METRICS_PORT)) return null;
  return { host: reader.get(METRICS_HOST) ?? host, port: reader.get(METRICS_PORT, 0) };
}
