/**
 * The v3 pagination envelope (cf-v3-packages.md §5; CC `PaginationPresenter#present_pagination_hash`):
 * `{pagination: {total_results, total_pages, first, last, next, previous}, resources}`.
 * - `total_pages` is at least 1; `next`/`previous` are null at the ends; `first`/`last` always present;
 * - hrefs are absolute and carry `page`, `per_page`, the order (`order_by=+created_at` / `-created_at`, only when one
 *   was asked for: `OrderByMapper.to_param_hash`) and the requested filters, serialised by ActiveSupport
 *   `Hash#to_query`: every `key=value` pair `CGI.escape`d, pairs sorted, joined with `&` (so `types=bits%2Cdocker`).
 */
import type { ListQuery } from './listQuery.js';

export interface Link {
  href: string;
  method?: string;
}

export interface PaginatedList<T> {
  pagination: {
    total_results: number;
    total_pages: number;
    first: Link;
    last: Link;
    next: Link | null;
    previous: Link | null;
  };
  resources: T[];
}

/** Ruby `CGI.escape`: everything but `a-zA-Z0-9_.-~` is percent-encoded (UTF-8, upper-case hex); space becomes `+`. */
export function cgiEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** ActiveSupport `Hash#to_query` over flat `[key, value]` pairs (nested keys arrive as `created_ats[gt]`). */
export function toQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(([key, value]) => `${cgiEscape(key)}=${cgiEscape(value)}`)
    .sort()
    .join('&');
}

/** Sorts (when `order_by` was given), pages and wraps a filtered list. `path` is the list's path, e.g. `/v3/packages`. */
export function paginate<R extends { seq: number; createdAt: string; updatedAt: string }, T>(
  records: readonly R[],
  query: ListQuery,
  baseUrl: string,
  path: string,
  present: (record: R) => T,
  orderColumns: Readonly<Record<string, (record: R) => string>> = {},
): PaginatedList<T> {
  const sorted = query.order ? sortRecords(records, query.order, orderColumns) : records;
  const total = sorted.length;
  const lastPage = Math.max(1, Math.ceil(total / query.perPage));
  const start = (query.page - 1) * query.perPage;
  const pageItems = start >= total ? [] : sorted.slice(start, start + query.perPage);

  const fixed: [string, string][] = [['per_page', String(query.perPage)], ...query.linkParams];
  if (query.order) fixed.push(['order_by', `${query.order.direction === 'asc' ? '+' : '-'}${query.order.column}`]);
  const href = (page: number): Link => ({ href: `${baseUrl}${path}?${toQuery([...fixed, ['page', String(page)]])}` });

  return {
    pagination: {
      total_results: total,
      total_pages: lastPage,
      first: href(1),
      last: href(lastPage),
      next: query.page + 1 <= lastPage ? href(query.page + 1) : null,
      previous: query.page - 1 > 0 ? href(query.page - 1) : null,
    },
    resources: pageItems.map(present),
  };
}

/** Orders by the column, then by internal id in the same direction (CC's paginator appends the id as tie-breaker). */
function sortRecords<R extends { seq: number; createdAt: string; updatedAt: string }>(
  records: readonly R[],
  order: NonNullable<ListQuery['order']>,
  extraColumns: Readonly<Record<string, (record: R) => string>>,
): R[] {
  const columns: Record<string, (record: R) => string> = {
    created_at: (r) => r.createdAt,
    updated_at: (r) => r.updatedAt,
    ...extraColumns,
  };
  const read = columns[order.column];
  if (!read) throw new Error(`paginate: no sort column "${order.column}"`);
  const sign = order.direction === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => {
    const x = read(a);
    const y = read(b);
    return sign * (x < y ? -1 : x > y ? 1 : a.seq - b.seq);
  });
}
