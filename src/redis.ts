/**
 * Redis, shared by the replicas (REDIS_URL): a thin KeyValueCache over ioredis for what replicas share (persisted
 * queries), a readiness probe, and a bounded close. Commands fail fast while the connection is down (no offline
 * queue): a cache that waits for Redis would stall requests, one that misses only costs the client a resend.
 * Connection losses and recoveries are logged once each; the URL (it may hold a password) never is.
 */
import { createRequire } from 'node:module';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import type { Logger } from './logging.js';

/** ioredis loads only when REDIS_URL is set (start-up time); `require` keeps `connectRedis` synchronous. */
function loadRedis(): typeof Redis {
  return (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
}

export interface RedisOptions {
  url: string;
  /** Wins over a password in `url`. */
  password?: string;
  /** Prefix of every key this gateway writes (e.g. `imagegraph:`): lets deployments share one Redis. */
  keyPrefix: string;
  logger: Logger;
  /** A command without an answer by then fails. @default 1000 */
  commandTimeoutMs?: number;
}

export interface SharedRedis {
  /** Strings by key, with optional TTL in seconds. Rejects while Redis is unreachable. */
  readonly cache: KeyValueCache<string>;
  /** True when Redis answers a PING now. */
  isReady(): Promise<boolean>;
  /** QUIT, or drops the connection when Redis does not answer within `graceMs`. */
  close(graceMs: number): Promise<void>;
}

export function connectRedis(options: RedisOptions): SharedRedis {
  const RedisClient = loadRedis();
  const client = new RedisClient(options.url, {
    keyPrefix: options.keyPrefix,
    ...(options.password !== undefined ? { password: options.password } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    // Reconnect for as long as the gateway runs, backing off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    // The message only: ioredis errors may carry the failed command's arguments (AUTH's password among them).
    options.logger.warn(
      { reason: error.message },
      'redis unreachable: persisted queries are not shared until it is back',
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger.info('redis connection restored');
  });

  return {
    cache: {
      get: async (key) => (await client.get(key)) ?? undefined,
      set: async (key, value, setOptions?: KeyValueCacheSetOptions) => {
        if (setOptions?.ttl) await client.set(key, value, 'EX', Math.ceil(setOptions.ttl));
        else await client.set(key, value);
      },
      delete: async (key) => (await client.del(key)) > 0,
    },
    async isReady() {
      if (client.status !== 'ready') return false;
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close(graceMs) {
      let timer: NodeJS.Timeout | undefined;
      const quit = client.quit().then(
        () => true,
        () => false,
      );
      const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const quitted = await Promise.race([quit, expired]);
      clearTimeout(timer);
      if (!quitted) client.disconnect();
    },
  };
}
