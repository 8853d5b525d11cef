/**
 * The done-when: with REDIS_URL set, two gateway processes share a persisted query (registered on one,
 * executed by hash on the other), and a caller with other credentials gets nothing of it. Real processes, started as
 * operators start them (`node --import tsx src/main.ts`, configured by environment), each with its own sandbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { persistedQuery, sha256 } from '../helpers/apq.js';
import { codes } from '../helpers/gateway.js';
import { startGatewayProcess, waitUntilReady, type GatewayProcess } from '../helpers/gatewayProcess.js';
import { redisServerAvailable, startRedis, type RedisServer } from '../helpers/redis.js';

const PASSWORD = 'replicas-redis-password';
const CALLER_A = { 'x-cycle-authorization': DEMO_TENANT.cycle.apiKey, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };
const CALLER_B_KEY = 'caller-b-cycle-key-not-to-be-logged';
const CALLER_B = { 'x-cycle-authorization': CALLER_B_KEY, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };
const QUERY = `query Replicated { images(first: 3) { nodes { id name } } }`;

const available = redisServerAvailable();
let redis: RedisServer;
let replicas: GatewayProcess[] = [];
beforeAll(async () => {
  if (!available) return;
  redis = await startRedis({ password: PASSWORD });
  replicas = await Promise.all(
    [1, 2].map(() => startGatewayProcess({ REDIS_URL: redis.url, LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: '2000' })),
  );
  for (const replica of replicas) expect((await waitUntilReady(replica.url)).status).toBe(200);
}, 90_000);
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await redis?.stop();
});

it.skipIf(!available)('share a persisted query through Redis, per caller', async () => {
  const [one, two] = replicas as [GatewayProcess, GatewayProcess];
  expect(one.url).not.toBe(two.url);
  const hash = sha256(QUERY);

  const registered = await persistedQuery(one.url, hash, QUERY, CALLER_A);
  expect(registered.errors).toBeUndefined();
  expect(registered.data!.images.nodes).toHaveLength(3);

  const elsewhere = await persistedQuery(two.url, hash, undefined, CALLER_A);
  expect(elsewhere.errors).toBeUndefined();
  expect(elsewhere.data).toEqual(registered.data);

  for (const replica of replicas)
    expect(codes(await persistedQuery(replica.url, hash, undefined, CALLER_B))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

  // Both stop gracefully on SIGTERM, and neither wrote the Redis password or a caller's credential anywhere.
  const exitCodes = await Promise.all(replicas.map((replica) => replica.stop()));
  expect(exitCodes).toEqual([0, 0]);
  for (const replica of replicas) {
    expect(replica.output()).toContain('"msg":"graphql request"');
    expect(replica.output()).not.toContain(PASSWORD);
    expect(replica.output()).not.toContain(CALLER_B_KEY);
  }
});
