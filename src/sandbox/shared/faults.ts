/**
 * Fault injection shared by the three emulators (`POST /__sandbox/faults`): the next `times` requests that match
 * (all of them when `times` is absent) fail the way the fault says.
 */
export type FaultBody = 'malformed' | 'truncated' | 'html';

/**
 * An upstream that echoes what it was sent in its error (a misbehaving proxy or validator): the request's
 * `Authorization` header, or its body, is appended to every string of the upstream's own error body.
 */
export type FaultEcho = 'authorization' | 'body';

export interface FaultSpec {
  /** Only requests with this method match (any method when absent). */
  method?: string;
  /** A prefix of the request path (no query string). */
  path: string;
  /**
   * Only requests whose `Authorization` header is exactly this match (one caller's credential: Cycle's
   * `Bearer <key>`, CF's `bearer <token>`, Docker Cloud's `Basic ...`); any caller when absent.
   */
  authorization?: string;
  /** Answer with this status and the upstream's own error body for it. */
  status?: number;
  /** Seconds, sent as a `Retry-After` header. */
  retryAfter?: number | string;
  /** Wait this long before answering (or before the other effects of this fault). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: true;
  body?: FaultBody;
  /** Answer `status` (400 when absent) with the upstream's error body, echoing this part of the request in it. */
  echo?: FaultEcho;
  times?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

const FAULT_BODIES: readonly FaultBody[] = ['malformed', 'truncated', 'html'];
const FAULT_ECHOES: readonly FaultEcho[] = ['authorization', 'body'];

/** Checks a fault from the wire; returns an error message, or null when it is valid. */
export function validateFault(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return 'a fault is a JSON object';
  const f = input as Record<string, unknown>;
  if (typeof f.path !== 'string' || !f.path.startsWith('/')) return '"path" must be a path prefix starting with "/"';
  if (f.method !== undefined && typeof f.method !== 'string') return '"method" must be a string';
  if (f.authorization !== undefined && (typeof f.authorization !== 'string' || f.authorization === ''))
    return '"authorization" must be a non-empty string';
  if (
    f.status !== undefined &&
    (!Number.isInteger(f.status) || (f.status as number) < 100 || (f.status as number) > 599)
  )
    return '"status" must be an HTTP status';
  if (f.retryAfter !== undefined && typeof f.retryAfter !== 'number' && typeof f.retryAfter !== 'string')
    return '"retryAfter" must be seconds or an HTTP date';
  if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0))
    return '"delayMs" must be a non-negative number';
  if (f.reset !== undefined && f.reset !== true) return '"reset" must be true when present';
  if (f.body !== undefined && !FAULT_BODIES.includes(f.body as FaultBody))
    return `"body" must be one of ${FAULT_BODIES.join(', ')}`;
  if (f.echo !== undefined && !FAULT_ECHOES.includes(f.echo as FaultEcho))
    return `"echo" must be one of ${FAULT_ECHOES.join(', ')}`;
  if (f.echo !== undefined && f.body !== undefined) return '"echo" and "body" exclude each other';
  if (f.times !== undefined && (!Number.isInteger(f.times) || (f.times as number) < 1))
    return '"times" must be a positive integer';
  return null;
}

export class FaultTable {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.#faults.push({ ...spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#faults = [];
  }

  /** Takes one use of the first fault that matches, or returns undefined. */
  take(method: string, path: string, authorization?: string): FaultSpec | undefined {
    const index = this.#faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        path.startsWith(f.path) &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.authorization === undefined || f.authorization === authorization),
    );
    if (index < 0) return undefined;
    const fault = this.#faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault;
  }
}
