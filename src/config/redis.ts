import type { SettingsReader } from './reader.js';
import { bool, int, setting, text } from './setting.js';

/** State shared by replicas through Redis, and the automatic persisted queries kept there (or in memory). */

export const REDIS_URL = setting({
  name: 'REDIS_URL',
  type: text(),
  secret: true,
  defaultDoc: '— (in memory)',
  example: 'rediss://:pass@redis.internal:6380/0',
  description: 'Redis shared by replicas (persisted queries); the URL is never logged',
});
export const REDIS_PASSWORD = setting({
  name: 'REDIS_PASSWORD',
  type: text(),
  secret: true,
  example: 'secret…',
  description:
    'Redis password, when kept out of `REDIS_URL` (the URL in a ConfigMap, the password in a Secret); wins over one in the URL',
});
export const REDIS_KEY_PREFIX = setting({
  name: 'REDIS_KEY_PREFIX',
  type: text(),
  default: 'imagegraph:',
  example: 'imagegraph-prod:',
  description: 'prefix of every key the gateway writes',
});
export const PERSISTED_QUERIES = setting({
  name: 'PERSISTED_QUERIES',
  type: bool(),
  default: true,
  example: 'false',
  description: 'automatic persisted queries (APQ)',
});
export const PERSISTED_QUERIES_TTL_SECONDS = setting({
  name: 'PERSISTED_QUERIES_TTL_SECONDS',
  type: int({ min: 1, max: 365 * 86_400 }),
  default: 86_400,
  example: '604800',
  description: 'lifetime of a stored query (clients re-register after expiry)',
});

export const redisSettings = [
  REDIS_URL,
  REDIS_PASSWORD,
  REDIS_KEY_PREFIX,
  PERSISTED_QUERIES,
  PERSISTED_QUERIES_TTL_SECONDS,
];

/** REDIS_URL; `password` (REDIS_PASSWORD) when kept out of the URL, e.g. the URL in a ConfigMap, it in a Secret. */
export type RedisConfig = { url: string; keyPrefix: string; password?: string } | null;

/** REDIS_URL may hold a password: no message repeats it. */
export function readRedis(reader: SettingsReader): RedisConfig {
  const url = reader.get(REDIS_URL);
  const keyPrefix = reader.get(REDIS_KEY_PREFIX);
  const password = reader.get(REDIS_PASSWORD);
  if (url === undefined) {
    if (password !== undefined) reader.problem('REDIS_PASSWORD is set without REDIS_URL: set both, or neither');
    return null;
  }
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') reader.problem('REDIS_URL must be a redis:// or rediss:// URL');
  return { url, keyPrefix, ...(password !== undefined ? { password } : {}) };
}
