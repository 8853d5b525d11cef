/**
 * Relay windows (`first` items after an offset) onto upstreams that page by number and size (Cycle's
 * `page[number]`/`page[size]`, Cloud Foundry's `page`/`per_page`). Pages are 1-based and all of one size, so an
 * arbitrary window needs either one page (aligned, or inside one over-sized first page) or two consecutive ones.
 */
export interface PageCall {
  /** 1-based page number. */
  number: number;
  size: number;
}

export interface PageWindowPlan {
  calls: PageCall[];
  /** Index in the concatenated pages where the window starts. */
  skip: number;
}

/**
 * The fewest page calls that cover `[offset, offset + first)`: one page when the window is aligned to `first` (the
 * usual case of following `endCursor`) or fits in one first page of at most `maxPageSize`; otherwise two
 * consecutive pages of size `first`. `first` must be at least 1.
 */
export function planPageWindow(offset: number, first: number, maxPageSize: number): PageWindowPlan {
  if (offset % first === 0) return { calls: [{ number: offset / first + 1, size: first }], skip: 0 };
  if (offset + first <= maxPageSize) return { calls: [{ number: 1, size: offset + first }], skip: offset };
  const number = Math.floor(offset / first) + 1;
  return {
    calls: [
      { number, size: first },
      { number: number + 1, size: first },
    ],
    skip: offset - (number - 1) * first,
  };
}
