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
