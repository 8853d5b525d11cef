/** GraphQL sort keys → Cycle `sort` values (cycle.md §3: a field name, `-` in front for descending). */
import type { CycleSort } from '../../upstreams/cycle/index.js';

/** Images sort by these; sources by the same less `SIZE` (they have none) plus `IDENTIFIER`. */
const CYCLE_SORT_FIELDS = {
  ID: 'id',
  NAME: 'name',
  SIZE: 'size',
  IDENTIFIER: 'identifier',
  CREATED: 'events.created',
  UPDATED: 'events.updated',
  STATE: 'state.current',
} as const;

export function cycleSort(
  sort: readonly { field: keyof typeof CYCLE_SORT_FIELDS; direction?: 'ASC' | 'DESC' | null }[] | null | undefined,
): CycleSort[] {
  return (sort ?? []).map((s) => ({ field: CYCLE_SORT_FIELDS[s.field], descending: s.direction === 'DESC' }));
}
