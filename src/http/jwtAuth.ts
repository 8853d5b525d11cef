/**
 * Client authentication with JWTs from an identity provider (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE), with jose:
 * the signature against the provider's published keys, and the expiry, not-before, issuer and audience claims.
 * Keys are fetched from the JWKS URL and cached; a token naming a key not in the cache fetches the set again (at most
 * once per cooldown), so a rotated key is picked up without a restart. Only asymmetric algorithms are accepted:
 * `alg: none` and HMAC tokens are refused whatever they claim.
 *
 * `createJwtVerifier` returns `(authorizationHeader) => Promise<JwtVerdict>`, for every transport that
 * authenticates clients (HTTP here; WebSocket and SSE subscriptions reuse it).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface JwtOptions {
  jwksUrl: string;
  issuer: string;
  /** Accepted audiences: the token's `aud` must name one of them. */
  audience: string[];
  /** Leeway for `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /** How long after a fetch of the key set no other fetch is made, in ms. @default 30000 (jose's default) */
  jwksCooldownMs?: number;
  /** Bound on each fetch of the key set, in ms. @default 5000 */
  jwksTimeoutMs?: number;
}

export type JwtVerdict =
  | { ok: true; claims: JWTPayload }
  /** `status` 401: the token is refused; 503: the keys to check it could not be fetched. */
  | { ok: false; status: 401 | 503; reason: string };

export type JwtVerifier = (authorizationHeader: string | undefined) => Promise<JwtVerdict>;

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    timeoutDuration: options.jwksTimeoutMs ?? 5_000,
  });
  return async (authorizationHeader) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorizationHeader ?? '')?.[1];
    if (token === undefined) return refused('send Authorization: Bearer <JWT>');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        clockTolerance: options.clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      return { ok: true, claims: payload };
    } catch (error) {
      return verdictFor(error);
    }
  };
}

function refused(reason: string): JwtVerdict {
  return { ok: false, status: 401, reason };
}

/** What a client is told: the check that failed, never the token or the keys. */
function verdictFor(error: unknown): JwtVerdict {
  if (error instanceof errors.JWTExpired) return refused('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return refused('the token is not meant for this gateway (audience)');
    if (error.claim === 'iss') return refused('the token was not issued by the trusted issuer');
    if (error.claim === 'nbf') return refused('the token is not valid yet');
    return refused(`the token's "${error.claim}" claim is missing or invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refused("the token's signing algorithm is not accepted");
  if (error instanceof errors.JWKSNoMatchingKey) return refused('no key of the issuer matches the token');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refused('the token signature does not verify');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return { ok: false, status: 503, reason: "the identity provider's keys could not be fetched" };
  if (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
    return { ok: false, status: 503, reason: "the identity provider's keys could not be fetched" };
  if (error instanceof TypeError || (error as { name?: string }).name === 'AbortError')
    return { ok: false, status: 503, reason: "the identity provider's keys could not be fetched" };
  return refused('the token is not a valid JWT');
}
