/**
 * A value an upstream sent that the graph cannot express (a webhook URL without a scheme, a number out of range).
 * Decoders put one in place of the value, so that only the field reading it fails: the rest of the item, and of the
 * list it is in, still answers. The field resolver of the schema (src/upstreamValues.ts) turns it into a GraphQL error
 * naming the upstream, the field and the reason; nothing in src/upstreams knows about GraphQL.
 */
import type { UpstreamName } from '../../config.js';

export class InvalidUpstreamValue {
  constructor(
    readonly upstream: UpstreamName,
    /** Where the value sat in the upstream's response, e.g. `origin.details.auth.details.url`. */
    readonly field: string,
    /** Why the graph cannot express it (never the value itself: it may carry a credential). */
    readonly reason: string,
  ) {}
}

export function isInvalidUpstreamValue(value: unknown): value is InvalidUpstreamValue {
  return value instanceof InvalidUpstreamValue;
}

/** A decoded value, or the marker that stands in for one the graph cannot express. */
export type MaybeInvalid<T> = T | InvalidUpstreamValue;

/** The largest magnitude GraphQL's `Int` holds (32-bit signed). */
export const MAX_GRAPHQL_INT = 2 ** 31 - 1;

/** A number for a `Float` field: any finite JSON number, else the marker. */
export function upstreamFloat(upstream: UpstreamName, value: unknown, field: string): MaybeInvalid<number> {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : new InvalidUpstreamValue(upstream, field, 'not a number');
}

/** A number for an `Int` field: an integer within 32 bits, else the marker. */
export function upstreamInt(upstream: UpstreamName, value: unknown, field: string): MaybeInvalid<number> {
  return Number.isInteger(value) && Math.abs(value as number) <= MAX_GRAPHQL_INT
    ? (value as number)
    : new InvalidUpstreamValue(upstream, field, 'not an integer GraphQL Int can hold');
}

/** A string for a `String`/`ID` field: any JSON string, else the marker. */
export function upstreamString(upstream: UpstreamName, value: unknown, field: string): MaybeInvalid<string> {
  return typeof value === 'string' ? value : new InvalidUpstreamValue(upstream, field, 'not a string');
}

/** A boolean for a `Boolean` field: `true` or `false`, else the marker. */
export function upstreamBoolean(upstream: UpstreamName, value: unknown, field: string): MaybeInvalid<boolean> {
  return typeof value === 'boolean' ? value : new InvalidUpstreamValue(upstream, field, 'not a boolean');
}

/** A value of a closed enum (one the graph has no `UNKNOWN` for): one of `known`, else the marker. */
export function upstreamEnum<S extends string>(
  upstream: UpstreamName,
  value: unknown,
  known: readonly S[],
  field: string,
): MaybeInvalid<S> {
  return typeof value === 'string' && (known as readonly string[]).includes(value)
    ? (value as S)
    : new InvalidUpstreamValue(upstream, field, 'not one of the values the graph knows');
}
