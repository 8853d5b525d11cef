/**
 * The `Job` interface across platforms: `job(id, platform)` reads from the platform named (or implied by the id's form), and mutations that start upstream work
 * may wait, bounded, for the job to finish.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Platform, Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { PollBackoff } from '../pollBackoff.js';
import { awaitMs, cfGuid, cycleId, upstreamId } from './validate.js';

export const jobResolvers = {
  Query: {
    job: (_parent, args, ctx) => {
      const job = jobId(args.id, args.platform);
      return job.platform === 'cycle' ? ctx.loaders.cycle.job.load(job.id) : ctx.loaders.cf.job.load(job.id);
    },
  },
  Job: {
    // Cloud Foundry names its jobs by `guid` (cf-v3-packages.md §7), Cycle by `id` (cycle.md §6).
    __resolveType: (job) => ('guid' in job ? 'CfJob' : 'CycleJob'),
  },
} satisfies Resolvers;

const CYCLE_FORM = /^[0-9a-f]{24}$/;
const UUID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A `Job` id and the platform to read it from: the one named, else the one whose usual form the id has (Cycle's
 * ids are 24 hex characters, CF's guids UUIDs). The form only picks the platform; the id is sent as given. An id of
 * neither form needs `platform`, as guessing would send it to an upstream that never issued it.
 */
export function jobId(id: string, platform?: Platform | null): { platform: 'cycle' | 'cf'; id: string } {
  const chosen = platform ?? (CYCLE_FORM.test(id) ? 'CYCLE' : UUID_FORM.test(id) ? 'CLOUD_FOUNDRY' : null);
  if (chosen === 'CYCLE') return { platform: 'cycle', id: cycleId(id) };
  if (chosen === 'CLOUD_FOUNDRY') return { platform: 'cf', id: cfGuid(id, 'id') };
  upstreamId(id, 'id');
  throw badUserInput(
    "`id` has neither a Cycle job id's usual form (24 hexadecimal characters) nor a Cloud Foundry guid's (a UUID): name its `platform`",
    { argument: 'platform' },
  );
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
