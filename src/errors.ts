/**
 * Every error the gateway sends has a stable `extensions.code`. Upstream failures are mapped here, in one place,
 * to GraphQL errors that name the upstream and its HTTP status, and never carry its raw body, URL or headers.
 */
import { GraphQLError } from 'graphql';
import { UPSTREAM_LABELS, type UpstreamName } from './config.js';
import { InvalidCursorError } from './upstreams/shared/page.js';
import type { InvalidUpstreamValue } from './upstreams/shared/invalidValue.js';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface UpstreamErrorExtensions {
  code: ErrorCode;
  upstream: UpstreamName;
  /** The upstream's HTTP status, or absent when no response arrived (timeout, connection refused/reset). */
  status?: number;
  /** The upstream's own error code (`404.image`, `CF-ResourceNotFound`), when it sent one. */
  upstreamCode?: string;
  /** Seconds the upstream asked us to wait (429/503 `Retry-After`). */
  retryAfter?: number;
  /** Where, in the upstream's response, the value the graph cannot express sat (an InvalidUpstreamValue). */
  upstreamField?: string;
  /**
   * Why a response was refused whole, for the bounds the gateway keeps on every upstream body; or why Cycle's image
   * factory refused an upload (`UPLOAD_TOKEN_REFUSED`: the source's token is wrong or past its expiry).
   */
  reason?: UnusableResponseReason | 'UPLOAD_TOKEN_REFUSED';
}

/**
 * `RESPONSE_TOO_LARGE`: the body passed its upstream's size bound (read no further); `RESPONSE_TOO_DEEP`: its JSON
 * nests deeper, `RESPONSE_TOO_COMPLEX`: it holds more arrays and objects, than any answer of these APIs (refused
 * before it is parsed).
 */
export type UnusableResponseReason = 'RESPONSE_TOO_LARGE' | 'RESPONSE_TOO_DEEP' | 'RESPONSE_TOO_COMPLEX';

/** An error attributed to one upstream. */
export class UpstreamError extends GraphQLError {
  declare readonly extensions: UpstreamErrorExtensions & Record<string, unknown>;
  /** No answer arrived for a reason that may pass (timeout, reset or refused connection): an idempotent read may retry. */
  readonly transient: boolean;

  constructor(message: string, extensions: UpstreamErrorExtensions, transient = false) {
    super(message, { extensions: { ...extensions } });
    this.name = 'UpstreamError';
    this.transient = transient;
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

/** What an upstream's error envelope said, decoded by that upstream's `decode.ts`. */
export interface UpstreamErrorDetail {
  upstreamCode?: string;
  /** A human-readable detail (validation message): truncated and scrubbed before it reaches a client. */
  detail?: string;
}

const MAX_DETAIL_LENGTH = 300;

/**
 * A request the gateway does not send (a value that cannot go in its path, route.ts) or that the HTTP client refused
 * before writing it. Nothing reached the upstream, so the circuit breaker does not count it (resilience.ts).
 */
export class RefusedRequestError extends UpstreamError {
  constructor(upstream: UpstreamName, template: string, reason: string) {
    super(`${UPSTREAM_LABELS[upstream]} request ${template} was not sent: ${reason}`, {
      code: 'UPSTREAM_ERROR',
      upstream,
    });
    this.name = 'RefusedRequestError';
  }
}

export function requestRefused(upstream: UpstreamName, template: string, reason: string): RefusedRequestError {
  return new RefusedRequestError(upstream, template, reason);
}

/** Maps an upstream's non-2xx answer to a GraphQL error. */
export function upstreamStatusError(
  upstream: UpstreamName,
  status: number,
  detail: UpstreamErrorDetail = {},
  retryAfter?: number,
): UpstreamError {
  const code = codeForStatus(status);
  const label = UPSTREAM_LABELS[upstream];
  const said = detail.detail ? `: ${truncate(detail.detail)}` : '';
  const extensions: UpstreamErrorExtensions = { code, upstream, status };
  if (detail.upstreamCode) extensions.upstreamCode = detail.upstreamCode;
  if (retryAfter !== undefined) extensions.retryAfter = retryAfter;
  return new UpstreamError(`${label} ${MESSAGES[code]} (HTTP ${status})${said}`, extensions);
}

const MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'refused the credentials',
  FORBIDDEN: 'denied access',
  NOT_FOUND: 'has no such resource',
  BAD_USER_INPUT: 'rejected the input',
  CONFLICT: 'reported a conflict',
  RATE_LIMITED: 'is rate limiting requests',
  UPSTREAM_ERROR: 'failed',
  UPSTREAM_UNAVAILABLE: 'is unavailable',
  INTERNAL_SERVER_ERROR: 'failed',
};

export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 402 || status === 403) return 'FORBIDDEN';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UPSTREAM_UNAVAILABLE';
  if (status >= 400 && status < 500) return 'BAD_USER_INPUT';
  return 'UPSTREAM_ERROR';
}

/** No response at all: timeout, refused or reset connection (transient), or an open circuit breaker (not). */
export function upstreamUnavailable(upstream: UpstreamName, reason: string, transient: boolean): UpstreamError {
  return new UpstreamError(
    `${UPSTREAM_LABELS[upstream]} is unavailable: ${reason}`,
    { code: 'UPSTREAM_UNAVAILABLE', upstream },
    transient,
  );
}

/** A response arrived but cannot be used: malformed JSON, a truncated body, an HTML page, an unexpected shape. */
export function upstreamMalformed(upstream: UpstreamName, status: number, reason: string): UpstreamError {
  return new UpstreamError(`${UPSTREAM_LABELS[upstream]} sent an unusable response: ${reason}`, {
    code: 'UPSTREAM_ERROR',
    upstream,
    status,
  });
}

/** A body over its bound: `variable` names the setting that sets it. Not transient: the same request gets the same. */
export function upstreamTooLarge(upstream: UpstreamName, status: number, maxBytes: number, variable: string) {
  return new UpstreamError(
    `${UPSTREAM_LABELS[upstream]} sent an unusable response: its body is over ${maxBytes} bytes (${variable})`,
    { code: 'UPSTREAM_ERROR', upstream, status, reason: 'RESPONSE_TOO_LARGE' },
  );
}

/** A JSON body over a shape bound (jsonShape.ts): refused before it is parsed. */
export function upstreamTooComplex(
  upstream: UpstreamName,
  status: number,
  bound: { depth: number } | { containers: number },
) {
  const [said, reason]: [string, UnusableResponseReason] =
    'depth' in bound
      ? [`its JSON nests deeper than ${bound.depth} levels`, 'RESPONSE_TOO_DEEP']
      : [`its JSON holds more than ${bound.containers} arrays and objects`, 'RESPONSE_TOO_COMPLEX'];
  return new UpstreamError(`${UPSTREAM_LABELS[upstream]} sent an unusable response: ${said}`, {
    code: 'UPSTREAM_ERROR',
    upstream,
    status,
    reason,
  });
}

/** One value of a usable response that the graph cannot express: fails only the field that reads it. */
export function invalidUpstreamValue(value: InvalidUpstreamValue): UpstreamError {
  return new UpstreamError(
    `${UPSTREAM_LABELS[value.upstream]} sent a value the graph cannot express at ${value.field}: ${value.reason}`,
    { code: 'UPSTREAM_ERROR', upstream: value.upstream, upstreamField: value.field },
  );
}

export function upstreamNotConfigured(upstream: UpstreamName): UpstreamError {
  return new UpstreamError(`${UPSTREAM_LABELS[upstream]} is not configured on this gateway`, {
    code: 'UPSTREAM_UNAVAILABLE',
    upstream,
  });
}

export function missingCredentials(upstream: UpstreamName, how: string): UpstreamError {
  return new UpstreamError(`No ${UPSTREAM_LABELS[upstream]} credentials for this request: ${how}`, {
    code: 'UNAUTHENTICATED',
    upstream,
  });
}

/**
 * Forwarded credential headers the gateway cannot use (a key without its hub id, a malformed header): the fields
 * that need that upstream fail with this, before any request. `problem` names the header; it never quotes a value.
 */
export function unusableCredentials(upstream: UpstreamName, problem: string): UpstreamError {
  return new UpstreamError(`Unusable ${UPSTREAM_LABELS[upstream]} credentials for this request: ${problem}`, {
    code: 'BAD_USER_INPUT',
    upstream,
  });
}

/** Input the gateway refuses before any upstream request. */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}

/**
 * The GraphQL error a client sees for a typed error of the layers below the resolvers (which know nothing of GraphQL):
 * the one place each is given its code. Other errors are returned as they are.
 */
export function asClientError(error: unknown): unknown {
  if (error instanceof InvalidCursorError) return badUserInput(error.message, { argument: error.argument });
  return error;
}

export function isUpstreamError(error: unknown, code?: ErrorCode): error is UpstreamError {
  return error instanceof UpstreamError && (code === undefined || error.code === code);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_LENGTH ? `${oneLine.slice(0, MAX_DETAIL_LENGTH)}…` : oneLine;
}
