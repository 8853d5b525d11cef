/**
 * Cloud Foundry jobs (cf-v3-packages.md §7) as `Job`s: the CfJob type, and waiting on the job a delete started.
 * Polling ends once the state is no longer PROCESSING (or POLLING, for service operations).
 */
import type { JobState, Resolvers } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import { isCfJobTerminal, type CfJob, type CfJobRef, type CfJobState } from '../../upstreams/cf/index.js';
import { awaitUpstream } from '../jobs.js';

const NORMALISED_STATES: Record<CfJobState, JobState> = {
  PROCESSING: 'RUNNING',
  POLLING: 'RUNNING',
  COMPLETE: 'SUCCEEDED',
  FAILED: 'FAILED',
};

/** The job as the 202 announced it (`Location` only), before it is read. */
function acceptedJob(ref: CfJobRef): CfJob {
  return {
    guid: ref.jobGuid,
    operation: ref.operation,
    state: 'PROCESSING',
    createdAt: null,
    updatedAt: null,
    errors: [],
    warnings: [],
    packageGuid: null,
  };
}

/** The job a CF write started, after waiting up to the caller's `awaitMs` (bounded by configuration). */
export function cfJobAfter(ctx: Context, ref: CfJobRef, requestedWaitMs: number | null | undefined): Promise<CfJob> {
  return awaitUpstream(
    ctx,
    requestedWaitMs,
    () => ctx.loaders.cf.freshJob(ref.jobGuid),
    isCfJobTerminal,
    acceptedJob(ref),
  );
}

export const cfJobResolvers = {
  CfJob: {
    id: (job) => job.guid,
    platform: () => 'CLOUD_FOUNDRY',
    // An unknown future state reads as RUNNING: not done, keep polling.
    state: (job) => NORMALISED_STATES[job.state] ?? 'RUNNING',
    upstreamState: (job) => job.state,
    done: (job) => isCfJobTerminal(job),
    progress: () => null,
    // CF's spec makes neither part of a job error required: the message falls back to the title, then to nothing said.
    errors: (job) => job.errors.map((e) => ({ message: e.detail ?? e.title ?? '', code: e.title ?? null })),
    completedAt: (job) => (isCfJobTerminal(job) ? job.updatedAt : null),
    package: (job, _args, ctx) => (job.packageGuid ? ctx.loaders.cf.package.load(job.packageGuid) : null),
  },
} satisfies Resolvers;
