/**
 * Sorting and paging of Cycle collections (cycle.md §2-3): no totals and no next links; a page shorter than
 * `page[size]` is the last one. Sort keys are field paths (`name`, `-events.created`, `state.current`).
 */
import type { ListQuery, SortKey } from './query.js';

type Comparable = string | number | boolean | undefined;

/** RFC 3339 timestamps compare as instants: `…:39Z` and `…:39.120Z` mix precision, so text order is not time order. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/** Parsed instants by timestamp text: a text always means the same instant, and lists re-sort on every request. */
const instants = new Map<string, number | null>();

function instantOf(text: string): number | null {
  let instant = instants.get(text);
  if (instant === undefined) {
    instant = TIMESTAMP.test(text) ? Date.parse(text) : null;
    if (instants.size < 100_000) instants.set(text, instant);
  }
  return instant;
}

function valueAt(item: unknown, path: readonly string[]): Comparable {
  let node: unknown = item;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (node === null || node === undefined) return undefined;
  if (typeof node === 'object') {
    // An object field sorts by its `current` (states) or else by its JSON text: stable, if not meaningful.
    const current = (node as { current?: unknown }).current;
    return typeof current === 'string' ? current : JSON.stringify(node);
  }
  if (typeof node === 'string') return instantOf(node) ?? node;
  return node as Comparable;
}

function compare(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // missing values last, whatever the direction
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Sorts by the requested keys, then by `defaults`; ties end with `id` ascending so paging is stable.
 * Precomputes the keys once per item (Schwartzian transform): lists here are a few hundred items.
 */
export function sortItems<T extends { id: string }>(
  items: readonly T[],
  keys: readonly SortKey[],
  defaults: readonly SortKey[],
): T[] {
  const all = [...keys, ...defaults, { path: ['id'], descending: false }];
  const decorated = items.map((item) => ({ item, values: all.map((k) => valueAt(item, k.path)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < all.length; i++) {
      const a = x.values[i];
      const b = y.values[i];
      if (a === undefined || b === undefined) {
        const order = compare(a, b);
        if (order !== 0) return order;
        continue;
      }
      const order = compare(a, b);
      if (order !== 0) return all[i]!.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}

export function pageOf<T>(items: readonly T[], page: ListQuery['page']): T[] {
  const start = (page.number - 1) * page.size;
  return items.slice(start, start + page.size);
}
