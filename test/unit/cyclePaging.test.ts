import { describe, expect, it } from 'vitest';
import { CYCLE_MAX_PAGE_SIZE, planCycleWindow } from '../../src/upstreams/cycle/paging.js';

describe('planCycleWindow', () => {
  it('uses one page when the window is aligned to its size', () => {
    expect(planCycleWindow(0, 20)).toEqual({ calls: [{ number: 1, size: 20 }], skip: 0 });
    expect(planCycleWindow(40, 20)).toEqual({ calls: [{ number: 3, size: 20 }], skip: 0 });
  });

  it('uses one larger first page when an unaligned window fits in it', () => {
    expect(planCycleWindow(3, 5)).toEqual({ calls: [{ number: 1, size: 8 }], skip: 3 });
  });

  it('uses two consecutive pages otherwise, and always covers the window', () => {
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
