/**
 * How deep an upstream's (or a client's) JSON nests, and how many arrays and objects it holds, found before it is parsed. V8's
 * JSON.parse slows down with nesting far more than with size (a body of nothing but `[` holds the event loop for
 * seconds per megabyte), and what it costs per byte grows with the values it must allocate: `[[],[],…]` costs several
 * times what a real answer of the same size does, in time and in heap. So a body nested deeper, or holding more
 * arrays and objects, than any answer of these APIs is refused unparsed; what is left costs about what real answers
 * cost per byte, and the size bound (exchange.ts) bounds the rest.
 *
 * The scan is one pass over the bytes, tracking strings and their escapes only: it does not validate (JSON.parse
 * does, afterwards). It reads UTF-8 bytes, in which no byte of a multi-byte character is below 0x80, so the ASCII
 * delimiters it looks for cannot be mistaken. Inside a string it jumps to the next quote with the native indexOf; a
 * quote preceded by an odd run of backslashes is escaped. Each byte is visited a bounded number of times (a backslash
 * run is read back once, for the quote that ends it), so the cost is linear whatever the body.
 */

/** The deepest nesting accepted. The real answers nest a dozen levels at most (envelope, item, origin, details, …). */
export const MAX_JSON_DEPTH = 64;

/**
 * The most arrays and objects accepted in one body. A real page of the largest size the gateway asks for, with its
 * includes, holds a few thousand.
 */
export const MAX_JSON_CONTAINERS = 100_000;

export type JsonShapeProblem = 'depth' | 'containers';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Which bound the JSON text in `bytes` passes, if any: `depth` when it opens more than `maxDepth` arrays and objects
 * inside one another, `containers` when it opens more than `maxContainers` in all; null otherwise.
 */
export function jsonShapeProblem(
  bytes: Uint8Array,
  maxDepth: number = MAX_JSON_DEPTH,
  maxContainers: number = MAX_JSON_CONTAINERS,
): JsonShapeProblem | null {
  let depth = 0;
  let containers = 0;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      i = stringEnd(bytes, i);
      if (i < 0) return null; // an unterminated string: JSON.parse refuses the body
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > maxDepth) return 'depth';
      if (++containers > maxContainers) return 'containers';
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return null;
}

/** The index of the quote that closes the string opened at `open`, or -1 when none does. */
function stringEnd(bytes: Uint8Array, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let before = quote - 1;
    while (bytes[before] === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote;
    from = quote + 1;
  }
}
