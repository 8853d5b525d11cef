/**
 * The gateway's own client credential (GATEWAY_TOKENS): `Authorization: Bearer <token>`, compared in constant time.
 * Tokens are kept only as SHA-256 digests, and every configured digest is compared, so neither the answer time nor
 * memory says which token matched or how much of one did.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** A check of requests, or null when no tokens are configured (no check). */
export function createGatewayTokenCheck(
  tokens: readonly string[],
): ((req: Pick<IncomingMessage, 'headers'>) => boolean) | null {
  if (tokens.length === 0) return null;
  const digests = tokens.map(digest);
  return (req) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const presented = digest(match?.[1] ?? '');
    let ok = false;
    for (const expected of digests) ok = timingSafeEqual(presented, expected) || ok;
    return ok && match !== null;
  };
}
