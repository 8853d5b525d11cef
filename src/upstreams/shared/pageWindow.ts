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

export interface LookAheadPlan extends PageWindowPlan {
  /** Whether the calls also cover the item just after the window: then whether more follow is known exactly. */
  seesNext: boolean;
}

/**
 * Page calls for `[offset, offset + first)` that also read the item after it, for upstreams whose lists say only
 * with a short page that they ended (Cycle): one call of the smallest page size (at most `maxPageSize`) whose page
 * holds those `first + 1` items, so a full last page is not mistaken for "more follow". Pages are addressed by number,
 * so such a size exists for most windows but not all (`first` close to the maximum, or a few aligned offsets); then
 * the plan is planPageWindow's, with the same number of calls as without the look-ahead, and `seesNext` says whether
 * it happens to read that item anyway.
 */
export function planLookAheadWindow(offset: number, first: number, maxPageSize: number): LookAheadPlan {
  const wanted = first + 1;
  for (let size = wanted; size <= maxPageSize; size++) {
    const skip = offset % size;
    if (skip + wanted <= size) return { calls: [{ number: (offset - skip) / size + 1, size }], skip, seesNext: true };
  }
  const plan = planPageWindow(offset, first, maxPageSize);
  const covered = plan.calls.reduce((sum, call) => sum + call.size, 0);
  return { ...plan, seesNext: covered - plan.skip > first };
}
