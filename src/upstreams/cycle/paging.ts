/**
 * Relay windows (`first` items after an offset) onto Cycle's `page[number]`/`page[size]` (cycle.md §3). Cycle lists
 * carry no total and no next link: a page shorter than `page[size]` is the last one (cycle.md §2).
 */
export const CYCLE_MAX_PAGE_SIZE = 100;

export interface CyclePageCall {
  number: number;
  size: number;
}

export interface CycleWindowPlan {
  calls: CyclePageCall[];
  /** Index in the concatenated pages where the window starts. */
  skip: number;
}

/**
 * The fewest page calls that cover `[offset, offset + first)`: one page when the window is aligned to `first` (the
 * usual case of following `endCursor`) or fits in one over-sized first page; otherwise two consecutive pages.
 */
export function planCycleWindow(offset: number, first: number): CycleWindowPlan {
  if (offset % first === 0) return { calls: [{ number: offset / first + 1, size: first }], skip: 0 };
  if (offset + first <= CYCLE_MAX_PAGE_SIZE) return { calls: [{ number: 1, size: offset + first }], skip: offset };
  const number = Math.floor(offset / first) + 1;
  return { calls: [{ number, size: first }, { number: number + 1, size: first }], skip: offset - (number - 1) * first };
}
