/**
 * Cycle's state rules (cycle.md §6, §3), defined once for every user: a mutation's `awaitMs` wait, the subscriptions'
 * watches, and the job resolvers' `done`/`completedAt`.
 */
import type { CycleImage, CycleJob } from './types.js';

/** A job is terminal at completed, error or expired: polling ends there (§6). */
export function isCycleJobTerminal(job: CycleJob): boolean {
  return job.state === 'completed' || job.state === 'error' || job.state === 'expired';
}

/** An image is settled once live or deleted; an error in its state settles it too (Cycle stops working on it). */
export function isCycleImageSettled(image: CycleImage): boolean {
  return image.state.current === 'live' || image.state.current === 'deleted' || image.state.error !== null;
}
