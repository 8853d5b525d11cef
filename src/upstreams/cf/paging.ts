/**
 * Relay windows onto Cloud Foundry's `page`/`per_page` (cf-v3-packages.md §4, §5), and the pagination envelope onto
 * Page<T>. CF reports `total_results`, so connections know their total and whether more items follow.
 */
import { upstreamMalformed } from '../../errors.js';
import { encodeOffsetCursor, offsetAfterCursor, type Page, type PageRequest } from '../shared/page.js';
import { upstreamInt } from '../shared/invalidValue.js';
import { decodeItems, windowItems } from '../shared/listItems.js';
import { planPageWindow, type PageWindowPlan } from '../shared/pageWindow.js';
import type { WireList } from './wire.js';

/**
 * The largest `first` the graph accepts on CF connections. CF itself allows `per_page` up to 5000 (§4); 100 keeps
 * responses and the cost of one field bounded, like the other upstreams' connections.
 */
export const CF_MAX_PAGE_SIZE = 100;

/**
 * How many guids one `guids=` request carries when loaders batch by-guid reads (§4: comma-delimited): 50 UUIDs keep
 * the URL under ~2 KB, far below what proxies in front of Cloud Controller accept.
 */
export const CF_GUIDS_PER_REQUEST = 50;

export interface CfWindow {
  offset: number;
  plan: PageWindowPlan;
}

/**
 * The page calls for `first` items after `page.after`. `first: 0` still makes one call with `per_page=1`, since
 * CF's `total_results` is the only way to answer `totalCount`.
 */
export function planCfWindow(page: PageRequest): CfWindow {
  const offset = offsetAfterCursor(page.after);
  if (page.first === 0) return { offset, plan: { calls: [{ number: 1, size: 1 }], skip: 0 } };
  return { offset, plan: planPageWindow(offset, page.first, CF_MAX_PAGE_SIZE) };
}

export function asList<T>(body: unknown, status: number): WireList<T> {
  const list = body as Partial<WireList<T>> | null;
  if (
    !list ||
    typeof list !== 'object' ||
    !Array.isArray(list.resources) ||
    typeof list.pagination?.total_results !== 'number'
  ) {
    throw upstreamMalformed('cf', status, 'expected a {pagination, resources} list');
  }
  return list as WireList<T>;
}

/** The window's items out of the pages fetched for it, with cursors and the total CF reported. */
export function pageFromLists<W, T>(
  window: CfWindow,
  first: number,
  lists: readonly WireList<W>[],
  decode: (wire: W) => T,
  /** The status the lists came with (named by an error). */
  status = 200,
): Page<T> {
  const { offset, plan } = window;
  const items = decodeItems(
    'cf',
    status,
    windowItems(
      lists.map((l) => l.resources),
      plan.skip,
      first,
    ),
    decode,
  );
  const total = lists[lists.length - 1]!.pagination.total_results;
  return {
    items,
    totalCount: upstreamInt('cf', total, 'pagination.total_results'),
    cursors: items.map((_, i) => encodeOffsetCursor(offset + i)),
    hasNextPage: offset + items.length < total,
    hasPreviousPage: offset > 0,
  };
}
