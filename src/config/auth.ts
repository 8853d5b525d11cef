import type { JwtOptions } from '../http/jwtAuth.js';
import type { SettingsReader } from './reader.js';
import { int, list, setting, text, url } from './setting.js';

/** Who may call the gateway: gateway tokens, JWTs, browser origins. */

export const GATEWAY_TOKENS = setting({
  name: 'GATEWAY_TOKENS',
  type: list(),
  secret: true,
  default: [],
  example: 'tok-a-16+chars,tok-b-16+chars',
  description:
    'comma-separated tokens (each ≥ 16 characters) clients send as `Authorization: Bearer …` to `/graphql` and `/metrics`',
});
export const JWT_JWKS_URL = setting({
  name: 'JWT_JWKS_URL',
  type: url(),
  example: 'https://idp.example.org/.well-known/jwks.json',
  description: 'JWT client authentication (signature, `exp`, `iss`, `aud`); all three together',
});
export const JWT_ISSUER = setting({
  name: 'JWT_ISSUER',
  type: text(),
  example: 'https://idp.example.org/',
  sameRowAs: JWT_JWKS_URL,
});
export const JWT_AUDIENCE = setting({
  name: 'JWT_AUDIENCE',
  type: list(),
  default: [],
  example: 'imagegraph',
  sameRowAs: JWT_JWKS_URL,
});
export const JWT_CLOCK_TOLERANCE_SECONDS = setting({
  name: 'JWT_CLOCK_TOLERANCE_SECONDS',
  type: int({ min: 0, max: 600 }),
  default: 30,
  example: '0',
  description: "leeway for a JWT's `exp` and `nbf`",
});
export const CORS_ORIGINS = setting({
  name: 'CORS_ORIGINS',
  type: list(),
  default: [],
  defaultDoc: '— (same origin only)',
  example: '`https://app.example.org` or `*`',
  description: 'origins allowed to call from a browser',
});

export const authSettings = [
  GATEWAY_TOKENS,
  JWT_JWKS_URL,
  JWT_ISSUER,
  JWT_AUDIENCE,
  JWT_CLOCK_TOLERANCE_SECONDS,
  CORS_ORIGINS,
];

/** Each token at least this long: a short one can be guessed. */
const MIN_GATEWAY_TOKEN_LENGTH = 16;

export function checkGatewayTokens(reader: SettingsReader, tokens: readonly string[]): void {
  for (const token of tokens) {
    if (token.length < MIN_GATEWAY_TOKEN_LENGTH)
      reader.problem(`GATEWAY_TOKENS: each token must be at least ${MIN_GATEWAY_TOKEN_LENGTH} characters`);
  }
}

/** JWT_JWKS_URL turns JWT client authentication on; the issuer and the audience must then be named too. */
export function readJwt(reader: SettingsReader): JwtOptions | null {
  const jwksUrl = reader.get(JWT_JWKS_URL);
  const issuer = reader.get(JWT_ISSUER);
  const audience = reader.get(JWT_AUDIENCE);
  const clockToleranceSeconds = reader.get(JWT_CLOCK_TOLERANCE_SECONDS);
  if (jwksUrl === undefined) {
    if (issuer !== undefined || audience.length > 0)
      reader.problem('JWT_ISSUER and JWT_AUDIENCE are used only with JWT_JWKS_URL');
    return null;
  }
  if (issuer === undefined || audience.length === 0) {
    reader.problem(
      'JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: a token is accepted only from one issuer, for one audience',
    );
    return null;
  }
  return { jwksUrl, issuer, audience, clockToleranceSeconds };
}
