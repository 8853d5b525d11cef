/**
 * Cycle's query parameters (cycle.md §3): `include`, `meta` (each as repeated keys, the spec's form/explode, or
 * comma-joined, as older clients sent them), `filter[<key>]` (deepObject), `sort` (`-` for descending) and
 * `page[number]`/`page[size]` (deepObject).
 *
 * The spec documents no default or maximum page size (cycle.md §8); this emulator uses 20 (the PageParam
 * description's example) and refuses more than 100 with 422 `422.invalid-argument`.
 */
import { CycleError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface SortKey {
  path: string[];
  descending: boolean;
}

export interface ListQuery {
  include: ReadonlySet<string>;
  meta: ReadonlySet<string>;
  filter: ReadonlyMap<string, string>;
  sort: readonly SortKey[];
  page: { number: number; size: number };
}

export interface QueryVocabulary {
  includes: readonly string[];
  metas: readonly string[];
  /** Top-level fields of the resource a `sort` value may start with. */
  sortFields: readonly string[];
}

/** Values of a list-valued parameter: every repeated key, each split on commas. */
function listParam(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function enumParam(params: URLSearchParams, name: string, allowed: readonly string[]): Set<string> {
  const values = listParam(params, name);
  const unknown = values.find((v) => !allowed.includes(v));
  if (unknown !== undefined) {
    const accepted = allowed.length === 0 ? 'none here' : allowed.join(', ');
    throw new CycleError('422.invalid-argument', `Unknown ${name} value "${unknown}" (accepted: ${accepted}).`);
  }
  return new Set(values);
}

/** `include` and `meta`: what a by-id GET accepts. */
export function parseExpansions(
  params: URLSearchParams,
  vocabulary: Pick<QueryVocabulary, 'includes' | 'metas'>,
): Pick<ListQuery, 'include' | 'meta'> {
  return {
    include: enumParam(params, 'include', vocabulary.includes),
    meta: enumParam(params, 'meta', vocabulary.metas),
  };
}

function pageParam(params: URLSearchParams, key: 'number' | 'size', fallback: number, max: number): number {
  const raw = params.get(`page[${key}]`);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new CycleError('422.invalid-argument', `page[${key}] must be ${range}, got "${raw}".`);
  }
  return value;
}

function sortParam(params: URLSearchParams, fields: readonly string[]): SortKey[] {
  return listParam(params, 'sort').map((value) => {
    const descending = value.startsWith('-');
    const path = (descending ? value.slice(1) : value).split('.');
    if (!fields.includes(path[0]!) || path.some((p) => p === '')) {
      throw new CycleError(
        '422.invalid-argument',
        `Cannot sort by "${value}" (sortable fields: ${fields.join(', ')}; use "-" for descending).`,
      );
    }
    return { path, descending };
  });
}

export function parseListQuery(params: URLSearchParams, vocabulary: QueryVocabulary): ListQuery {
  const filter = new Map<string, string>();
  for (const [key, value] of params) {
    const match = /^filter\[([^\]]+)\]$/.exec(key);
    // (I) Filter keys the spec does not list are ignored: its filter schema is an open object.
    if (match !== null) filter.set(match[1]!, value);
  }
  return {
    ...parseExpansions(params, vocabulary),
    filter,
    sort: sortParam(params, vocabulary.sortFields),
    page: {
      number: pageParam(params, 'number', 1, Number.MAX_SAFE_INTEGER),
      size: pageParam(params, 'size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    },
  };
}

/** `filter[state]=live,deleting`: a comma list, or undefined when the filter is absent. */
export function filterList(filter: ReadonlyMap<string, string>, key: string): Set<string> | undefined {
  const raw = filter.get(key);
  if (raw === undefined || raw.trim() === '') return undefined;
  return new Set(
    raw
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
}
