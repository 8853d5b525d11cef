/**
 * The list envelope and `limit`/`offset` paging (§4). Docker Cloud ran on Tastypie (I), so this follows Tastypie's
 * `Paginator`: its parameter errors, its `limit=0` meaning "the maximum", its `next`/`previous` rules, and its
 * links built from the list path plus every query parameter the caller sent, with `limit`/`offset` replaced.
 */
import { DockerCloudError } from './errors.js';

/** §4: `limit` was 25 in every fixture. */
export const DEFAULT_LIMIT = 25;
/** (I) The cap is not documented; Tastypie's default is 1000, we cap at 100 (a `limit` above it, or 0, means 100). */
export const MAX_LIMIT = 100;

export interface ListMeta {
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total_count: number;
}

export interface ListEnvelope<T> {
  meta: ListMeta;
  objects: T[];
}

export interface PageRequest {
  limit: number;
  offset: number;
}

const PYTHON_INT = /^\s*[+-]?\d+\s*$/;

/** Tastypie `Paginator.get_limit` / `get_offset`, with their 400 messages. */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const rawLimit = lastValue(query, 'limit');
  const rawOffset = lastValue(query, 'offset');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (!PYTHON_INT.test(rawLimit))
      throw new DockerCloudError(400, `Invalid limit '${rawLimit}' provided. Please provide a positive integer.`);
    limit = Number(rawLimit);
    if (limit < 0)
      throw new DockerCloudError(400, `Invalid limit '${rawLimit}' provided. Please provide a positive integer >= 0.`);
    if (limit === 0 || limit > MAX_LIMIT) limit = MAX_LIMIT;
  }
  let offset = 0;
  if (rawOffset !== undefined) {
    if (!PYTHON_INT.test(rawOffset))
      throw new DockerCloudError(400, `Invalid offset '${rawOffset}' provided. Please provide an integer.`);
    offset = Number(rawOffset);
    if (offset < 0)
      throw new DockerCloudError(
        400,
        `Invalid offset '${rawOffset}' provided. Please provide a positive integer >= 0.`,
      );
  }
  return { limit, offset };
}

/**
 * One page of `items` in the `{meta, objects}` envelope. `next`/`previous` are server-relative paths starting with
 * `/api/` (§4: the go SDK strips `/api/` and appends the rest), on the path the caller used.
 * Tastypie's rules: `next` is null once `offset + limit` reaches the total; `previous` is null when
 * `offset - limit` would be negative (so offset 10 with limit 25 has no previous link).
 */
export function listEnvelope<T>(
  items: readonly T[],
  page: PageRequest,
  listPath: string,
  query: URLSearchParams,
): ListEnvelope<T> {
  const { limit, offset } = page;
  const total = items.length;
  return {
    meta: {
      limit,
      next: offset + limit >= total ? null : pageLink(listPath, query, limit, offset + limit),
      offset,
      previous: offset - limit < 0 ? null : pageLink(listPath, query, limit, offset - limit),
      total_count: total,
    },
    objects: items.slice(offset, offset + limit),
  };
}

function pageLink(listPath: string, query: URLSearchParams, limit: number, offset: number): string {
  const params = new URLSearchParams(query);
  params.delete('limit');
  params.delete('offset');
  params.append('limit', String(limit));
  params.append('offset', String(offset));
  return `${listPath}?${params.toString()}`;
}

/** Django's `QueryDict[key]` is the last value sent for a repeated key. */
export function lastValue(query: URLSearchParams, key: string): string | undefined {
  const values = query.getAll(key);
  return values.length === 0 ? undefined : values[values.length - 1];
}
