/**
 * Automatic persisted queries (APQ, https://www.apollographql.com/docs/apollo-server/performance/apq), stored per
 * caller: a query registered with one set of credentials is never served by hash to another (query text can hold
 * literals, secrets included). Apollo keeps APQ server-wide, so the storage is done here and Apollo's own APQ cache
 * is an empty one (`APQ_DISABLED_CACHE`); Apollo still speaks the protocol (version check, hash check on
 * registration, PERSISTED_QUERY_NOT_FOUND on a miss):
 * - lookup (hash, no query): this plugin runs first (`requestDidStart`) and, on a hit, fills in `request.query`;
 *   Apollo then checks the hash against it and executes. On a miss Apollo's empty cache misses too.
 * - registration (hash and query): once Apollo has checked the hash and the operation parsed and validated
 *   (`didResolveOperation`), the query is stored under the caller's key.
 * The caller's key is a SHA-256 of the credential headers (gateway token, forwarded upstream credentials), computed
 * only for APQ requests. No async context is involved: the request's own headers name the caller.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Context } from '../context.js';
import { FORWARDED_CREDENTIAL_HEADERS } from '../credentials.js';
import type { Logger } from '../logging.js';
import type { PersistedQueryResult } from '../observability/metrics.js';

export interface PersistedQueriesOptions {
  /** Where queries are kept: Redis when replicas share them, else memory. */
  store: KeyValueCache<string>;
  /** Lifetime of a stored query; a client whose query expired just registers it again. */
  ttlSeconds: number;
  /** Store failures are logged here (debug: the Redis connection's own state is logged once per outage). */
  logger: Logger;
  /** Told of every lookup and registration (metrics). */
  onResult?: (result: PersistedQueryResult) => void;
}

/** Headers whose values identify the caller: whoever presents the same ones may use the same stored queries. */
const CALLER_HEADERS = ['authorization', ...Object.values(FORWARDED_CREDENTIAL_HEADERS)];
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Apollo's own APQ cache: always empty, so that only this plugin's per-caller store serves queries. */
export const APQ_DISABLED_CACHE: KeyValueCache<string> = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => false,
};

export function callerKey(headers: HeaderMap | undefined): string {
  const hash = createHash('sha256').update('imagegraph-apq-caller');
  for (const name of CALLER_HEADERS) hash.update('\0').update(headers?.get(name) ?? '');
  return hash.digest('base64url');
}

export function persistedQueriesPlugin(options: PersistedQueriesOptions): ApolloServerPlugin<Context> {
  const { store, logger } = options;
  const report = options.onResult ?? (() => {});
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
      if (
        !persisted ||
        persisted.version !== 1 ||
        typeof persisted.sha256Hash !== 'string' ||
        !SHA256_HEX.test(persisted.sha256Hash)
      )
        return;
      const hash = persisted.sha256Hash;
      const key = `apq:${callerKey(request.http?.headers)}:${hash}`;
      if (request.query === undefined) {
        let query: string | undefined;
        try {
          query = await store.get(key);
        } catch (error) {
          logger.debug({ reason: (error as Error).message }, 'persisted query lookup failed: answered as a miss');
        }
        report(query === undefined ? 'miss' : 'hit');
        if (query !== undefined) request.query = query;
        return;
      }
      const query = request.query;
      return {
        async didResolveOperation({ queryHash }) {
          if (queryHash !== hash) return;
          try {
            await store.set(key, query, { ttl: options.ttlSeconds });
            report('register');
          } catch (error) {
            logger.debug({ reason: (error as Error).message }, 'persisted query not stored');
          }
        },
      };
    },
  };
}
