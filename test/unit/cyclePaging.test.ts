import { describe, expect, it } from 'vitest';
import { CYCLE_MAX_PAGE_SIZE, cycleHasNextPage, planCycleWindow } from '../../src/upstreams/cycle/paging.js';

describe('planCycleWindow', () => {
  it('reads the window and the item after it in one page where one page can hold both', () => {
    expect(planCycleWindow(0, 20)).toEqual({ calls: [{ number: 1, size: 21 }], skip: 0, seesNext: true });
    // Following endCursor: offset 20 needs items 20..40, which no page of 21..40 holds; the first page of 41 does.
    expect(planCycleWindow(20, 20)).toEqual({ calls: [{ number: 1, size: 41 }], skip: 20, seesNext: true });
    // Deeper: the smallest page size whose page holds items 100..120 (page 5 of 25 covers 100..124).
    expect(planCycleWindow(100, 20)).toEqual({ calls: [{ number: 5, size: 25 }], skip: 0, seesNext: true });
    expect(planCycleWindow(120, 20)).toEqual({ calls: [{ number: 6, size: 24 }], skip: 0, seesNext: true });
    expect(planCycleWindow(3, 5)).toEqual({ calls: [{ number: 1, size: 9 }], skip: 3, seesNext: true });
  });

  it('always makes one call for a window of up to 49 items that follows endCursor (no more calls than before)', () => {
    for (let first = 1; first <= 49; first++)
      for (let page = 0; page < 100; page++) {
        const plan = planCycleWindow(page * first, first);
        expect(plan.calls).toHaveLength(1);
        expect(plan.seesNext).toBe(true);
        expect(plan.calls[0]!.size).toBeLessThanOrEqual(CYCLE_MAX_PAGE_SIZE);
        expect((plan.calls[0]!.number - 1) * plan.calls[0]!.size + plan.skip).toBe(page * first);
        expect(plan.skip + first + 1).toBeLessThanOrEqual(plan.calls[0]!.size);
      }
  });

  it('falls back to pages of size first where no page holds the item after (same calls as without look-ahead)', () => {
    expect(planCycleWindow(0, 100)).toEqual({ calls: [{ number: 1, size: 100 }], skip: 0, seesNext: false });
    expect(planCycleWindow(50, 50)).toEqual({ calls: [{ number: 2, size: 50 }], skip: 0, seesNext: false });
    // Two unaligned pages of size first happen to read past the window.
    expect(planCycleWindow(150, 100)).toMatchObject({ calls: [{ number: 2 }, { number: 3 }], seesNext: true });
  });

  it('says whether items follow: exactly with the look-ahead, from a short last page without it', () => {
    const ahead = planCycleWindow(0, 20);
    expect(cycleHasNextPage(ahead, 20, 20, 20)).toBe(false); // a full last page, nothing after it
    expect(cycleHasNextPage(ahead, 21, 21, 20)).toBe(true);
    const blind = planCycleWindow(0, 100);
    expect(cycleHasNextPage(blind, 100, 100, 100)).toBe(true);
    expect(cycleHasNextPage(blind, 99, 99, 100)).toBe(false);
  });

  it('covers the window in every plan', () => {
    for (const [offset, first] of [
      [150, 20],
      [99, 100],
      [101, 7],
      [250, 33],
    ] as const) {
      const plan = planCycleWindow(offset, first);
      const start = (plan.calls[0]!.number - 1) * plan.calls[0]!.size + plan.skip;
      const covered = plan.calls.reduce((sum, c) => sum + c.size, 0) - plan.skip;
      expect(start).toBe(offset);
      expect(covered).toBeGreaterThanOrEqual(first);
      for (const call of plan.calls) expect(call.size).toBeLessThanOrEqual(CYCLE_MAX_PAGE_SIZE);
    }
  });
});
