/**
 * Relay windows onto Tastypie's `limit`/`offset` (docker-cloud-repository.md §4): any window is one request, and
 * `meta.total_count` gives connections their total.
 */
import { upstreamInt } from '../shared/invalidValue.js';
import { decodeItems } from '../shared/listItems.js';
import { upstreamMalformed } from '../../errors.js';
import { encodeOffsetCursor, offsetAfterCursor, type Page, type PageRequest } from '../shared/page.js';
import type { WireList } from './wire.js';

/**
 * The largest `first` the graph accepts. §4 documents no cap (every fixture used 25); Tastypie's default cap is
 * 1000 and answers a larger `limit` with fewer objects, which `meta.limit` then reports.
 */
export const DOCKER_CLOUD_MAX_PAGE_SIZE = 100;

export function pageParams(page: PageRequest): { offset: number; query: [string, string][] } {
  const offset = offsetAfterCursor(page.after);
  // `limit=0` means "the maximum" to Tastypie; `first: 0` asks for one item only to learn the total.
  return {
    offset,
    query: [
      ['limit', String(Math.max(page.first, 1))],
      ['offset', String(offset)],
    ],
  };
}

export function pageFromList<W, T>(
  body: unknown,
  status: number,
  offset: number,
  first: number,
  decode: (wire: W) => T,
): Page<T> {
  const list = body as Partial<WireList<W>> | null;
  if (!list || typeof list !== 'object' || !Array.isArray(list.objects) || typeof list.meta?.total_count !== 'number') {
    throw upstreamMalformed('dockercloud', status, 'expected a {meta, objects} list');
  }
  const items = decodeItems('dockercloud', status, list.objects.slice(0, first), decode);
  return {
    items,
    totalCount: upstreamInt('dockercloud', list.meta.total_count, 'meta.total_count'),
    cursors: items.map((_, i) => encodeOffsetCursor(offset + i)),
    // §4: `meta.next` is set exactly while items follow; the total says the same, also when the server caps `limit`.
    hasNextPage: offset + items.length < list.meta.total_count,
    hasPreviousPage: offset > 0,
  };
}
