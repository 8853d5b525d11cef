/**
 * The identity a circuit breaker is kept under: a keyed hash (HMAC-SHA-256) of the credential a call authenticates
 * with, never the credential. Keyed, so that a digest that leaves the process (a metric, a Redis message) cannot be
 * checked against guessed credentials by anyone without the key. The key is random per process, or shared by the
 * replicas through Redis (sharedCircuits.ts) so that they name a caller the same way.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { isRenewing, type UpstreamCredential } from './renewingCredential.js';

/** The server's own renewing service credential (CF through UAA): one identity, whatever token it holds now. */
export const SERVICE_RENEWING_IDENTITY = 'service-renewing';

export class CredentialDigester {
  #key: KeyObject;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = createSecretKey(key);
  }

  /** Replaces the key (digests made before no longer match). */
  rekey(key: Buffer): void {
    this.#key = createSecretKey(key);
  }

  /** The same credential gives the same digest; the digest reveals nothing of it. */
  digest(credential: UpstreamCredential): string {
    if (isRenewing(credential)) return SERVICE_RENEWING_IDENTITY;
    const names = Object.keys(credential).sort();
    const hmac = createHmac('sha256', this.#key);
    // Length-prefixed, so that no two different header sets hash the same bytes.
    for (const name of names) {
      const value = credential[name]!;
      hmac.update(`${Buffer.byteLength(name)}:${name}${Buffer.byteLength(value)}:`).update(value);
    }
    return hmac.digest('base64url');
  }
}
