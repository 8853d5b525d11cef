/**
 * Who may call the gateway: a gateway token (GATEWAY_TOKENS), a JWT of the configured identity provider
 * (JWT_JWKS_URL), or either when both are configured. Null when neither is: no check.
 */
import type { IncomingMessage } from 'node:http';
import type { JwtVerifier } from './jwtAuth.js';

export type ClientAuthVerdict = { ok: true } | { ok: false; status: 401 | 503; message: string };

export type ClientAuthenticator = (req: Pick<IncomingMessage, 'headers'>) => Promise<ClientAuthVerdict>;

export function createClientAuthenticator(
  gatewayTokenCheck: ((req: Pick<IncomingMessage, 'headers'>) => boolean) | null,
  jwtVerifier: JwtVerifier | null,
): ClientAuthenticator | null {
  if (!gatewayTokenCheck && !jwtVerifier) return null;
  return async (req) => {
    if (gatewayTokenCheck?.(req)) return { ok: true };
    if (!jwtVerifier)
      return {
        ok: false,
        status: 401,
        message: 'This gateway needs a token: send Authorization: Bearer <gateway token>',
      };
    const verdict = await jwtVerifier(req.headers.authorization);
    if (verdict.ok) return { ok: true };
    const what = gatewayTokenCheck ? 'a gateway token or a JWT' : 'a JWT';
    return {
      ok: false,
      status: verdict.status,
      message:
        verdict.status === 503
          ? `The token could not be checked: ${verdict.reason}`
          : `This gateway needs ${what} (Authorization: Bearer <token>): ${verdict.reason}`,
    };
  };
}
