/**
 * The items of a page the gateway decodes: each must be a JSON object. An item that is not (a number, a string, an
 * array, null) cannot be an image, package or repository at all, and no decoder reads it: the list fails with an
 * UPSTREAM_ERROR naming the upstream, never with a TypeError a client would see as INTERNAL_SERVER_ERROR.
 */
import type { UpstreamName } from '../../config.js';
import { upstreamMalformed } from '../../errors.js';

export function decodeItems<W, T>(
  upstream: UpstreamName,
  status: number,
  items: readonly unknown[],
  decode: (wire: W) => T,
): T[] {
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw upstreamMalformed(upstream, status, 'a list item is not an object');
    return decode(item as W);
  });
}
