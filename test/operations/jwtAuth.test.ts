/**
 * Client authentication with JWTs (issue 18): a loopback JWKS server publishes the identity provider's keys; the test
 * signs tokens with them (jose) and the gateway checks signature, expiry, issuer and audience on `/graphql`, picking up
 * a rotated key from the JWKS URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/http/jwtAuth.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'imagegraph';
const QUERY = '{ images(first: 1) { nodes { id } } }';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function sign(key: SigningKey, claims: { aud?: string; iss?: string; exp?: number | string } = {}): Promise<string> {
  return new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setSubject('client-1')
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(key.privateKey);
}

/** A token whose header says `alg: none`, with no signature: it must never be accepted. */
function unsigned(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: now + 300 })}.`;
}

let published: JWK[] = [];
let jwksFetches = 0;
let jwks: Server;
let gw: TestGateway;
let keyA: SigningKey;
let keyB: SigningKey;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([signingKey('key-a'), signingKey('key-b')]);
  published = [keyA.jwk];
  jwks = createServer((_req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  gw = await startTestGateway({
    env: { JWT_JWKS_URL: jwksUrl, JWT_ISSUER: ISSUER, JWT_AUDIENCE: `${AUDIENCE},other-audience` },
    // No cooldown between key set fetches: the rotation below comes right after the first fetch.
    config: (c) => ({ ...c, jwt: { ...c.jwt!, clockToleranceSeconds: 0, jwksCooldownMs: 0 } }),
  });
});
afterAll(async () => {
  await gw.close();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('JWT client authentication', () => {
  it('answers a valid token, and fetches the key set once for many', async () => {
    const token = await sign(keyA);
    for (let i = 0; i < 3; i++) {
      const res = await gw.gql(QUERY, {}, bearer(token));
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data!.images.nodes).toHaveLength(1);
    }
    expect(jwksFetches).toBe(1);
  });

  it.each([
    ['no token', async () => ({}), 'send Authorization: Bearer <JWT>'],
    [
      'an expired token',
      async () => bearer(await sign(keyA, { exp: Math.floor(Date.now() / 1000) - 60 })),
      'the token has expired',
    ],
    [
      'a wrong audience',
      async () => bearer(await sign(keyA, { aud: 'someone-else' })),
      'the token is not meant for this gateway (audience)',
    ],
    [
      'a wrong issuer',
      async () => bearer(await sign(keyA, { iss: 'https://evil.example/' })),
      'the token was not issued by the trusted issuer',
    ],
    ['alg: none', async () => bearer(unsigned()), "the token's signing algorithm is not accepted"],
    ['a token that is no JWT', async () => bearer('not.a.jwt'), 'the token is not a valid JWT'],
  ])('refuses %s with 401 UNAUTHENTICATED and the reason', async (_name, headers, reason) => {
    const res = await gw.gql(QUERY, {}, await headers());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="imagegraph"');
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message: `This gateway needs a JWT (Authorization: Bearer <token>): ${reason}`,
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ]);
  });

  it('accepts a token signed with a rotated key, and refuses the retired one', async () => {
    published = [keyB.jwk];
    const fetchesBefore = jwksFetches;
    const rotated = await gw.gql(QUERY, {}, bearer(await sign(keyB)));
    expect(rotated.status).toBe(200);
    expect(rotated.errors).toBeUndefined();
    expect(jwksFetches).toBe(fetchesBefore + 1);

    const retired = await gw.gql(QUERY, {}, bearer(await sign(keyA)));
    expect(retired.status).toBe(401);
    expect(retired.errors![0]!.message).toMatch(/no key of the issuer matches the token$/);
  });
});

it('answers 503, not 401, when the key set cannot be fetched', async () => {
  // A port that was just free: nothing listens there, the connection is refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const verify = createJwtVerifier({
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    issuer: ISSUER,
    audience: [AUDIENCE],
    clockToleranceSeconds: 0,
  });
  expect(await verify(`Bearer ${await sign(keyA)}`)).toEqual({
    ok: false,
    status: 503,
    reason: "the identity provider's keys could not be fetched",
  });
});
