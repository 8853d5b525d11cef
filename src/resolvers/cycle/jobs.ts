/** Cycle jobs: the CycleJob type (state normalised, progress from steps), its queries, and waiting on a started job. */
import type { JobState, Resolvers } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import {
  isCycleJobTerminal,
  CYCLE_MAX_PAGE_SIZE,
  type CycleJob,
  type CycleJobRef,
  type CycleJobState,
} from '../../upstreams/cycle/index.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { awaitUpstream } from '../jobs.js';
import { selectedNodeFields } from '../lookahead.js';

const NORMALISED_STATES: Record<CycleJobState, JobState> = {
  new: 'PENDING',
  queued: 'PENDING',
  scheduled: 'PENDING',
  running: 'RUNNING',
  completed: 'SUCCEEDED',
  error: 'FAILED',
  expired: 'EXPIRED',
};

/** A job as known from the write that started it, before Cycle lets it be read. */
function acceptedJob(ref: CycleJobRef & { jobId: string }): CycleJob {
  return {
    id: ref.jobId,
    hubId: '',
    queue: '',
    caption: ref.action,
    state: 'new',
    error: null,
    queued: null,
    started: null,
    completed: null,
    schedule: null,
    expires: null,
    tasks: [],
    creatorRef: null,
  };
}

/** The job a Cycle write started, after waiting up to the caller's `awaitMs` (bounded by configuration). */
export async function cycleJobAfter(
  ctx: Context,
  ref: CycleJobRef,
  requestedWaitMs: number | null | undefined,
): Promise<CycleJob | null> {
  const jobId = ref.jobId;
  // Cycle accepted the work without a job to follow (a JobDescriptor needs only `action`): nothing to wait on.
  if (jobId === null) return null;
  return awaitUpstream(
    ctx,
    requestedWaitMs,
    () => ctx.loaders.cycle.freshJob(jobId),
    isCycleJobTerminal,
    acceptedJob({ ...ref, jobId }),
  );
}

const NEWEST_FIRST = [{ field: 'events.queued', descending: true }];

export const cycleJobResolvers = {
  Query: {
    cycleJobs: (_parent, args, ctx, info) => {
      const f = args.filter ?? {};
      const filter = { search: f.search, states: f.states, rangeStart: f.rangeStart, rangeEnd: f.rangeEnd };
      return resolveConnection(args, CYCLE_MAX_PAGE_SIZE, info, 'CycleJobConnection', (page) =>
        ctx.loaders.cycle.listJobs(
          page,
          filter,
          NEWEST_FIRST,
          selectedNodeFields(info, 'CycleJobConnection', 'CycleJobEdge', 'CycleJob'),
        ),
      );
    },
    latestCycleJobs: (_parent, _args, ctx) => ctx.loaders.cycle.latestJobs(),
  },
  CycleJob: {
    platform: () => 'CYCLE',
    state: (job) => NORMALISED_STATES[job.state] ?? 'PENDING',
    upstreamState: (job) => job.state,
    done: (job) => isCycleJobTerminal(job),
    operation: (job) => job.caption,
    progress: (job) => {
      // cycle.md §6: progress is the number of steps whose `completed` is set.
      const steps = job.tasks.flatMap((task) => task.steps);
      if (steps.length === 0) return null;
      const completedSteps = steps.filter((step) => step.completedAt !== null).length;
      return { completedSteps, totalSteps: steps.length, fraction: completedSteps / steps.length };
    },
    errors: (job) => [
      ...(job.error ? [{ message: job.error, code: null }] : []),
      ...job.tasks.flatMap((task) =>
        task.error ? [{ message: `${task.caption}: ${task.error}`, code: task.header }] : [],
      ),
    ],
    createdAt: (job) => job.queued,
    updatedAt: (job) => job.completed ?? job.started ?? job.queued,
    completedAt: (job) => job.completed,
    startedAt: (job) => job.started,
    scheduledAt: (job) => job.schedule,
    expiresAt: (job) => job.expires,
    creator: (job, _args, ctx) => ctx.loaders.cycle.creatorOfJob(job),
  },
  CycleJobConnection: connectionResolvers,
} satisfies Resolvers;
