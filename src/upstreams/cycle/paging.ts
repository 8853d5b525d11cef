/**
 * Relay windows onto Cycle's `page[number]`/`page[size]` (cycle.md §3). Cycle lists carry no total and no next link:
 * a page shorter than `page[size]` is the last one (cycle.md §2).
 */
import { planPageWindow, type PageCall, type PageWindowPlan } from '../shared/pageWindow.js';

export const CYCLE_MAX_PAGE_SIZE = 100;

export type CyclePageCall = PageCall;
export type CycleWindowPlan = PageWindowPlan;

/** The fewest Cycle page calls that cover `[offset, offset + first)` (see planPageWindow). */
export function planCycleWindow(offset: number, first: number): CycleWindowPlan {
  return planPageWindow(offset, first, CYCLE_MAX_PAGE_SIZE);
}
