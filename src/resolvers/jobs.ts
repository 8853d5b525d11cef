/**
 * The `Job` interface across platforms: `job(id)` dispatches on the id's form, and mutations that start upstream work
 * may wait, bounded, for the job to finish.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { PollBackoff } from '../pollBackoff.js';
import { awaitMs, isCycleId, isUuid } from './validate.js';

export const jobResolvers = {
  Query: {
    job: (_parent, args, ctx) => {
      const job = jobId(args.id);
      return job.platform === 'cycle' ? ctx.loaders.cycle.job.load(job.id) : ctx.loaders.cf.job.load(job.id);
    },
  },
  Job: {
    // Cloud Foundry names its jobs by `guid` (cf-v3-packages.md §7), Cycle by `id` (cycle.md §6).
    __resolveType: (job) => ('guid' in job ? 'CfJob' : 'CycleJob'),
  },
} satisfies Resolvers;

/** A `Job` id by its platform (Cycle ids are 24 hex characters, CF guids UUIDs, kept lower case); else BAD_USER_INPUT. */
export function jobId(id: string): { platform: 'cycle' | 'cf'; id: string } {
  if (isCycleId(id)) return { platform: 'cycle', id };
  if (isUuid(id)) return { platform: 'cf', id: id.toLowerCase() };
  throw badUserInput('`id` must be a Cycle job id (24 hexadecimal characters) or a Cloud Foundry job guid (a UUID)', {
    argument: 'id',
  });
}

/** Of the request's deadline, what a job wait leaves for the reads after it (the last poll, the answer's fields). */
const AFTER_WAIT_RESERVE_MS = 1_000;

/**
 * What a mutation answers after waiting up to the caller's `awaitMs` (bounded by JOB_AWAIT_MAX_MS, and by the
 * request's deadline less a reserve for the last read) for upstream work to finish: a job, or a resource whose state
 * says when it is done (a CF package being copied or processed).
 */
export function awaitUpstream<J>(
  ctx: Context,
  requestedWaitMs: number | null | undefined,
  read: () => Promise<J | null>,
  isDone: (job: J) => boolean,
  initial: J,
): Promise<J> {
  const waitMs = Math.min(
    awaitMs(requestedWaitMs, ctx.config.jobAwaitMaxMs),
    ctx.deadline.remainingMs() - AFTER_WAIT_RESERVE_MS,
  );
  return waitForJob(read, isDone, waitMs, initial);
}

/**
 * Reads a job until `isDone` or until `waitMs` has passed, and returns the last state read. With `waitMs` 0 it makes
 * no read at all and returns `initial`: the caller reads the job later with `job(id)`.
 */
export async function waitForJob<J>(
  read: () => Promise<J | null>,
  isDone: (job: J) => boolean,
  waitMs: number,
  initial: J,
): Promise<J> {
  if (waitMs <= 0) return initial;
  const deadline = Date.now() + waitMs;
  let last = initial;
  const backoff = new PollBackoff();
  for (;;) {
    // A job accepted a moment ago may not be readable yet (Cycle answers 404.job briefly): keep the last state.
    last = (await read()) ?? last;
    if (isDone(last)) return last;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return last;
    await sleep(Math.min(backoff.next(false), remaining));
  }
}
