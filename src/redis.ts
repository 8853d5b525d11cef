/**
 * Redis, shared by the replicas (REDIS_URL): a thin KeyValueCache over ioredis for what replicas share (persisted
 * queries), publish/subscribe for the circuit transitions they share (sharedCircuits.ts), a readiness probe, and a
 * bounded close. Commands fail fast while the connection is down (no offline
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
  /** The value at `key`, set to `value` first when there is none (the first replica's value wins). */
  getOrSet(key: string, value: string): Promise<string>;
  /** Publishes on `channel` (under the key prefix). Rejects while Redis is unreachable. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Every message on `channel` (under the key prefix), over a connection of its own that subscribes again after a
   * reconnection. One subscription per channel.
   */
  subscribe(channel: string, onMessage: (message: string) => void): void;
  /** Called now when connected, and after every (re)connection. */
  onReady(listener: () => void): void;
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
  const readyListeners: (() => void)[] = [];
  client.on('ready', () => {
    for (const listener of readyListeners) listener();
    if (!down) return;
    down = false;
    options.logger.info('redis connection restored');
  });

  // Pub/sub needs a connection of its own (a subscribed connection runs no other command); made on first use.
  let subscriber: Redis | undefined;
  const handlers = new Map<string, (message: string) => void>();

  return {
    async getOrSet(key, value) {
      await client.set(key, value, 'NX');
      const stored = await client.get(key);
      if (stored === null) throw new Error('redis lost the key it had just set');
      return stored;
    },
    async publish(channel, message) {
      await client.publish(options.keyPrefix + channel, message);
    },
    subscribe(channel, onMessage) {
      if (!subscriber) {
        // Subscriptions wait for the connection (offline queue on); ioredis subscribes again after reconnecting.
        subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
        // The main connection logs the outage; this one must not print ioredis's "unhandled error event".
        subscriber.on('error', () => {});
        subscriber.on('message', (from: string, message: string) => handlers.get(from)?.(message));
      }
      handlers.set(options.keyPrefix + channel, onMessage);
      void subscriber.subscribe(options.keyPrefix + channel).catch(() => {});
    },
    onReady(listener) {
      readyListeners.push(listener);
      if (client.status === 'ready') listener();
    },
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
      subscriber?.disconnect();
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
