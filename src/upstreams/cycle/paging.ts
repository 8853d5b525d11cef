/**
 * Relay windows onto Cycle's `page[number]`/`page[size]` (cycle.md §3). Cycle lists carry no total and no next link:
 * a page shorter than `page[size]` is the last one (cycle.md §2). So each window is read with the item after it
 * (planLookAheadWindow) where one call can: `hasNextPage` is then exact, also on a full last page.
 */
import { planLookAheadWindow, type LookAheadPlan, type PageCall } from '../shared/pageWindow.js';

export const CYCLE_MAX_PAGE_SIZE = 100;

export type CyclePageCall = PageCall;
export type CycleWindowPlan = LookAheadPlan;

/** The fewest Cycle page calls that cover `[offset, offset + first)`, and the item after it where they can. */
export function planCycleWindow(offset: number, first: number): CycleWindowPlan {
  return planLookAheadWindow(offset, first, CYCLE_MAX_PAGE_SIZE);
}

/**
 * Whether items follow the window: exact when the plan read the item after it; otherwise only a short last page says
 * the list ended, and a full one is taken as "more may follow".
 */
export function cycleHasNextPage(
  plan: CycleWindowPlan,
  fetched: number,
  lastPageLength: number,
  first: number,
): boolean {
  if (plan.seesNext) return fetched > plan.skip + first;
  const lastCall = plan.calls[plan.calls.length - 1]!;
  return lastPageLength === lastCall.size && fetched - plan.skip >= first;
}
