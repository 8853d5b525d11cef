/**
 * Reserved SSE streams (graphql-sse's "single connection mode": `PUT /graphql` reserves a stream token, `GET` opens
 * the stream, `POST`s run operations on it, `DELETE` stops one). Every reservation is:
 * - bounded: at most `perCaller` per caller and `total` in all, refused beyond (the caller must open or drop one);
 * - short-lived: a reservation whose stream is not opened within `ttlMs` is dropped (its operations end);
 * - unguessable: the token is a random UUID from node:crypto;
 * - bound to the caller who reserved it: its identity (callerIdentity) is compared on every later request, so another
 *   caller's token opens nothing, runs nothing on it and stops nothing of it.
 * An opened stream keeps its reservation until the stream ends.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FORWARDED_CREDENTIAL_HEADERS } from '../credentials.js';

export interface ReservationLimits {
  perCaller: number;
  total: number;
  ttlMs: number;
}

interface Reservation {
  owner: string;
  /** Until the stream is opened: the timer that drops the reservation. */
  expiry: NodeJS.Timeout | null;
}

export type Reserved = { token: string } | { refused: 'per-caller' | 'total' };
export type Access = 'ok' | 'unknown' | 'forbidden';

const IDENTITY_HEADERS = ['authorization', ...Object.values(FORWARDED_CREDENTIAL_HEADERS)] as const;

/**
 * Who a request acts as: a SHA-256 digest over its gateway credential (`Authorization`: the gateway token or JWT) and
 * its forwarded upstream credential headers. Two requests have the same identity only when they present the same
 * credentials; the digest is all that is kept, never the credentials.
 */
export function callerIdentity(headers: IncomingHttpHeaders): string {
  const hash = createHash('sha256');
  for (const name of IDENTITY_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
    // Length-prefixed, so that no two different header sets give the same input.
    hash.update(`${name}:${text.length}:${text}\n`);
  }
  return hash.digest('base64url');
}

export class SseReservations {
  readonly #byToken = new Map<string, Reservation>();
  readonly #perOwner = new Map<string, number>();

  /** `onExpire(token)`: a reservation was dropped unopened; its stream (and operations) must be released. */
  constructor(
    private readonly limits: ReservationLimits,
    private readonly onExpire: (token: string) => void,
  ) {}

  /** Reservations held now (unopened and open). */
  get size(): number {
    return this.#byToken.size;
  }

  reserve(owner: string): Reserved {
    if (this.#byToken.size >= this.limits.total) return { refused: 'total' };
    const held = this.#perOwner.get(owner) ?? 0;
    if (held >= this.limits.perCaller) return { refused: 'per-caller' };
    const token = randomUUID();
    const expiry = setTimeout(() => {
      if (this.release(token)) this.onExpire(token);
    }, this.limits.ttlMs);
    expiry.unref();
    this.#byToken.set(token, { owner, expiry });
    this.#perOwner.set(owner, held + 1);
    return { token };
  }

  /** Whether `owner` may use `token`: `unknown` when it was never reserved, expired or ended. */
  access(token: string, owner: string): Access {
    const reservation = this.#byToken.get(token);
    if (!reservation) return 'unknown';
    return reservation.owner === owner ? 'ok' : 'forbidden';
  }

  /** The stream is open: the reservation lasts until release(). */
  opened(token: string): void {
    const reservation = this.#byToken.get(token);
    if (reservation?.expiry) clearTimeout(reservation.expiry);
    if (reservation) reservation.expiry = null;
  }

  /** Drops the reservation; false when there was none. */
  release(token: string): boolean {
    const reservation = this.#byToken.get(token);
    if (!reservation) return false;
    if (reservation.expiry) clearTimeout(reservation.expiry);
    this.#byToken.delete(token);
    const held = (this.#perOwner.get(reservation.owner) ?? 1) - 1;
    if (held <= 0) this.#perOwner.delete(reservation.owner);
    else this.#perOwner.set(reservation.owner, held);
    return true;
  }

  /** Every reservation's token (shutdown releases them). */
  tokens(): string[] {
    return [...this.#byToken.keys()];
  }
}
