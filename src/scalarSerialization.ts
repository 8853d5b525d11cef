/**
 * graphql-js's built-in scalars and enums fail a value they cannot hold with a message that quotes it ("Float cannot
 * represent non numeric value: …"). Such a value comes from a resolver, most often an upstream's, and may be large
 * or carry a credential: no response or log line repeats it. Decoders are meant to catch these first (an
 * InvalidUpstreamValue names the upstream and its field); reaching this is a gateway bug, reported without the value.
 */
const SERIALIZATION_FAILURE = /^((?:Int|Float|String|Boolean|ID|Enum "\w+") cannot represent [^:]*)/;

/** The message without the value when it is a scalar serialization failure's; undefined for any other message. */
export function valueFreeSerializationMessage(message: string): string | undefined {
  const match = SERIALIZATION_FAILURE.exec(message);
  return match ? `${match[1]!.trimEnd()} (the value is not shown)` : undefined;
}

/** `text` (a message or stack) with a serialization failure's message replaced by its value-free version. */
export function withoutSerializedValue(text: string, message: string): string {
  const safe = valueFreeSerializationMessage(message);
  return safe === undefined ? text : text.split(message).join(safe);
}
