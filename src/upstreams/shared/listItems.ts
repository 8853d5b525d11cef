/**
 * Decoding what an upstream sent, item by item, without letting its shape crash the gateway.
 *
 * - windowItems takes the items of a window out of the pages fetched for it, reading only those: an upstream that
 *   answers a page of 20 with millions of items costs no more than the parse (Array#flatMap over them would cost
 *   seconds).
 * - decodeItems and decodeItem run a decoder on an item that must be a JSON object. The decoders read the fields the
 *   spec requires without checking them; an item without them (or not an object at all) makes a decoder throw a
 *   TypeError, which a client would see as INTERNAL_SERVER_ERROR. Here it becomes an UPSTREAM_ERROR naming the
 *   upstream (the list, or the one object, fails); the message never quotes the value.
 */
import type { UpstreamName } from '../../config.js';
import { isUpstreamError, upstreamMalformed } from '../../errors.js';

/** Items `[skip, skip + first)` of the pages, concatenated in order. */
export function windowItems<T>(pages: readonly (readonly T[])[], skip: number, first: number): T[] {
  const items: T[] = [];
  let toSkip = skip;
  for (const page of pages) {
    if (items.length >= first) break;
    if (toSkip >= page.length) {
      toSkip -= page.length;
      continue;
    }
    items.push(...page.slice(toSkip, toSkip + first - items.length));
    toSkip = 0;
  }
  return items;
}

export function decodeItems<W, T>(
  upstream: UpstreamName,
  status: number,
  items: readonly unknown[],
  decode: (wire: W) => T,
): T[] {
  return items.map((item) => decodeItem(upstream, status, item, decode));
}

export function decodeItem<W, T>(upstream: UpstreamName, status: number, item: unknown, decode: (wire: W) => T): T {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw upstreamMalformed(upstream, status, 'an item is not an object');
  try {
    return decode(item as W);
  } catch (error) {
    if (isUpstreamError(error)) throw error;
    throw upstreamMalformed(upstream, status, 'an item lacks fields its spec requires, or has them of another type');
  }
}
