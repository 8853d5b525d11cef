import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { persistedQuery, sha256 } from '../helpers/apq.js';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntilReady } from '../helpers/gatewayProcess.js';
import { freePort, redisServerAvailable, startRedis, type RedisServer } from '../helpers/redis.js';

const PASSWORD = 'redis-password-for-the-log-sweep';
const CALLER_KEY = 'forwarded-cycle-key-kept-out-of-redis';
const CALLER = { 'x-cycle-authorization': CALLER_KEY, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId };

describe.skipIf(!redisServerAvailable())('with REDIS_URL (a real redis-server)', () => {
  let redis: RedisServer;
  let one: TestGateway;
  let two: TestGateway;
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'test-prefix:' };
    [one, two] = await Promise.all([startTestGateway({ env }), startTestGateway({ env })]);
    for (const gw of [one, two]) expect((await waitUntilReady(gw.url)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('shares persisted queries between gateways, per caller, under prefixed keys that hold no credential', async () => {
    const query = `query SharedInProcess { images(first: 1) { nodes { id } } }`;
    const hash = sha256(query);
    // The sandbox refuses this caller's made-up key (UNAUTHENTICATED): the query ran, so it was found by hash.
    expect(codes(await persistedQuery(one.url, hash, query, CALLER))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await persistedQuery(two.url, hash, undefined, CALLER))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await persistedQuery(two.url, hash, undefined))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const client = new Redis(redis.url);
    try {
      // Besides the query: the key of the circuit digests, which both gateways read (sharedCircuits.ts).
      expect(await client.keys('test-prefix:circuits:*')).toEqual(['test-prefix:circuits:digest-key']);
      expect(await client.get('test-prefix:circuits:digest-key')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      const keys = await client.keys('test-prefix:apq:*');
      expect(await client.keys('*')).toHaveLength(2);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^test-prefix:apq:[\\w-]{43}:${hash}$`));
      expect(keys[0]).not.toContain(CALLER_KEY);
      expect(await client.get(keys[0]!)).toBe(query);
      expect(await client.ttl(keys[0]!)).toBeGreaterThan(86_000);
    } finally {
      client.disconnect();
    }
    for (const gw of [one, two]) expect(JSON.stringify(gw.logLines)).not.toContain(PASSWORD);
  });

  it('ignores what is not a circuit transition on the circuits channel, and keeps serving', async () => {
    const client = new Redis(redis.url);
    try {
      const caller = 'A'.repeat(43);
      for (const junk of [
        'not json',
        '{"replica":"x","upstream":"cycle","caller":"Bearer sandbox-cycle-key","state":"open"}',
        JSON.stringify({ replica: 'x', upstream: 'cycle', caller, state: 'half-open' }),
        JSON.stringify({ replica: 'x', upstream: 'cycle', caller, state: 'open', pad: 'x'.repeat(1000) }),
      ])
        // Both gateways listen: each message reaches two subscribers.
        expect(await client.publish('test-prefix:circuits', junk)).toBe(2);
    } finally {
      client.disconnect();
    }
    for (const gw of [one, two]) {
      expect((await gw.gql(`{ images(first: 1) { nodes { id } } }`)).errors).toBeUndefined();
      expect((await waitUntilReady(gw.url)).status).toBe(200);
    }
  });
});

describe.skipIf(!redisServerAvailable())('readiness with REDIS_URL', () => {
  let port: number;
  let gw: TestGateway;
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    port = await freePort();
    gw = await startTestGateway({ env: { REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
  });

  it('reports an unreachable Redis by name, recovers when it comes up, and reports it again when it goes away', async () => {
    const down = await fetch(`${gw.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'not ready', notReady: ['redis'] });
    // Persisted queries fail open: a lookup is a miss, the query itself still runs.
    const query = `{ images(first: 1) { nodes { id } } }`;
    expect(codes(await persistedQuery(gw.url, sha256(query), undefined))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await persistedQuery(gw.url, sha256(query), query)).errors).toBeUndefined();

    redis = await startRedis({ port, password: PASSWORD });
    expect(await waitUntilReady(gw.url, 15_000)).toEqual({ status: 200, body: { status: 'ready', notReady: [] } });

    await redis.stop();
    const again = await fetch(`${gw.url}/readyz`);
    expect(again.status).toBe(503);
    expect(await again.json()).toEqual({ status: 'not ready', notReady: ['redis'] });

    const logged = JSON.stringify(gw.logLines);
    expect(logged).toContain('redis unreachable');
    expect(logged).toContain('redis connection restored');
    expect(logged).not.toContain(PASSWORD);
  });
});

describe.skipIf(!redisServerAvailable())('a Redis that refuses the password', () => {
  it('is reported as not ready, and the password given is logged nowhere', async () => {
    const redis = await startRedis({ password: PASSWORD });
    const wrong = 'the-wrong-redis-password';
    const gw = await startTestGateway({ env: { REDIS_URL: `redis://:${wrong}@127.0.0.1:${redis.port}` } });
    try {
      const ready = await waitUntilReady(gw.url, 1_000);
      expect(ready).toEqual({ status: 503, body: { status: 'not ready', notReady: ['redis'] } });
      expect(JSON.stringify(gw.logLines)).toContain('redis unreachable');
      expect(JSON.stringify(gw.logLines)).not.toContain(wrong);
    } finally {
      await gw.close();
      await redis.stop();
    }
  });
});

describe.skipIf(!redisServerAvailable())(
  'with the password in REDIS_PASSWORD (the URL in a ConfigMap, it in a Secret)',
  () => {
    it('authenticates with it, and logs it nowhere', async () => {
      const redis = await startRedis({ password: PASSWORD });
      const gw = await startTestGateway({
        env: { REDIS_URL: redis.url.replace(`:${PASSWORD}@`, '@'), REDIS_PASSWORD: PASSWORD },
      });
      try {
        expect(redis.url).toContain(PASSWORD);
        expect((await waitUntilReady(gw.url)).status).toBe(200);
        expect(JSON.stringify(gw.logLines)).not.toContain(PASSWORD);
      } finally {
        await gw.close();
        await redis.stop();
      }
    });
  },
);
