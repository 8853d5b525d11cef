/**
 * Cycle jobs (cycle.md §6): every write that starts platform work answers a JobDescriptor, and the Job advances
 * `new → queued → running → completed` over `jobDurationMs`. State is derived lazily from the clock; nothing runs on
 * timers. The job's effect on images/sources is applied once, by `advanceJobs`, when a request sees it complete.
 *
 * Timeline, as fractions of the duration after acceptance:
 *   [0, 0.1)   not yet visible: `GET /v1/jobs/{id}` answers 404 `404.job` ("a fresh job may 404 briefly", §6 step 4)
 *   [0.1, 0.2) new · [0.2, 0.3) queued · [0.3, 1) running (tasks and their steps run one after another) · ≥ 1 completed
 */
import { createHash } from 'node:crypto';
import { cycleTime } from './ids.js';
import {
  ZERO_TIME,
  type CreatorScope,
  type Job,
  type JobDescriptor,
  type JobStateName,
  type JobTask,
  type TaskStateName,
} from './wire.js';

const VISIBLE_AT = 0.1;
const QUEUED_AT = 0.2;
const STARTED_AT = 0.3;
/** (I) Cycle does not document job expiry; an unrun job would expire ten minutes after it was accepted. */
const EXPIRES_AFTER_MS = 10 * 60 * 1000;

export interface JobTaskPlan {
  id: string;
  caption: string;
  header: string;
  input: Record<string, unknown>;
  steps: readonly { caption: string; description: string }[];
}

/** What a job does to the store while it runs and when it completes. */
export interface JobEffect {
  /** Called with the index (over all tasks' steps) of the step now running, each time it changes. */
  onStep?(stepIndex: number): void;
  onComplete(): void;
}

export interface JobRecord {
  id: string;
  hubId: string;
  /** The descriptor's `action`: `import`, `delete`, `prune`. */
  action: string;
  caption: string;
  queue: string;
  creator: CreatorScope;
  acceptedAt: number;
  durationMs: number;
  tasks: readonly JobTaskPlan[];
  /** A job that ended in `error` (seed history only). */
  failure?: string;
  limitDuplicates: boolean;
  effect?: JobEffect;
  /** Internal: the last step reported to the effect, and whether `onComplete` ran. */
  lastStep: number;
  settled: boolean;
}

type Phase = 'hidden' | 'new' | 'queued' | 'running' | 'completed' | 'error';

function at(job: JobRecord, fraction: number): number {
  return job.acceptedAt + Math.round(job.durationMs * fraction);
}

function phaseOf(job: JobRecord, now: number): Phase {
  const elapsed = now - job.acceptedAt;
  const d = job.durationMs;
  if (elapsed >= d) return job.failure === undefined ? 'completed' : 'error';
  if (elapsed < d * VISIBLE_AT) return 'hidden';
  if (elapsed < d * QUEUED_AT) return 'new';
  if (elapsed < d * STARTED_AT) return 'queued';
  return 'running';
}

export function isJobVisible(job: JobRecord, now: number): boolean {
  return phaseOf(job, now) !== 'hidden';
}

function stepCount(job: JobRecord): number {
  return job.tasks.reduce((n, t) => n + Math.max(1, t.steps.length), 0);
}

/** The window [start, end) of the n-th step slot over the running part of the job. */
function slotWindow(job: JobRecord, slot: number): [number, number] {
  const span = (1 - STARTED_AT) / stepCount(job);
  return [at(job, STARTED_AT + span * slot), at(job, STARTED_AT + span * (slot + 1))];
}

/** Which step slot is running at `now` (-1 before the job starts, the count once it is done). */
export function runningStep(job: JobRecord, now: number): number {
  const phase = phaseOf(job, now);
  if (phase === 'completed' || phase === 'error') return stepCount(job);
  if (phase !== 'running') return -1;
  const fraction = (now - job.acceptedAt) / job.durationMs;
  return Math.min(stepCount(job) - 1, Math.floor(((fraction - STARTED_AT) / (1 - STARTED_AT)) * stepCount(job)));
}

const stamp = (reached: boolean, time: number) => (reached ? cycleTime(time) : ZERO_TIME);

export function renderJob(job: JobRecord, now: number): Job {
  const phase = phaseOf(job, now);
  const done = phase === 'completed' || phase === 'error';
  const current = runningStep(job, now);
  const queuedAt = at(job, QUEUED_AT);
  const startedAt = at(job, STARTED_AT);
  const completedAt = at(job, 1);
  const state: JobStateName = phase === 'hidden' ? 'new' : phase;
  const changed = {
    hidden: job.acceptedAt,
    new: job.acceptedAt,
    queued: queuedAt,
    running: startedAt,
    completed: completedAt,
    error: completedAt,
  }[phase];

  let slot = 0;
  const tasks: JobTask[] = job.tasks.map((task, taskIndex) => {
    const firstSlot = slot;
    const slots = Math.max(1, task.steps.length);
    slot += slots;
    const [taskStart] = slotWindow(job, firstSlot);
    const [, taskEnd] = slotWindow(job, firstSlot + slots - 1);
    const failed = job.failure !== undefined && done && taskIndex === job.tasks.length - 1;
    const taskState: TaskStateName = failed
      ? 'error'
      : current >= firstSlot + slots
        ? 'completed'
        : current >= firstSlot
          ? 'running'
          : 'pending';
    return {
      id: task.id,
      caption: task.caption,
      header: task.header,
      events: {
        queued: stamp(now >= queuedAt, queuedAt),
        started: stamp(current >= firstSlot, taskStart),
        completed: stamp(taskState === 'completed' || taskState === 'error', taskEnd),
      },
      steps:
        task.steps.length === 0
          ? null
          : task.steps.map((step, i) => {
              const [start, end] = slotWindow(job, firstSlot + i);
              return {
                caption: step.caption,
                description: step.description,
                started: stamp(current >= firstSlot + i, start),
                completed: stamp(current > firstSlot + i, end),
              };
            }),
      state: {
        current: taskState,
        changed: cycleTime(taskState === 'pending' ? job.acceptedAt : taskState === 'running' ? taskStart : taskEnd),
      },
      input: task.input,
      output: null,
      error: failed ? { message: job.failure! } : null,
    };
  });

  return {
    id: job.id,
    hub_id: job.hubId,
    queue: job.queue,
    caption: job.caption,
    events: {
      queued: stamp(now >= queuedAt, queuedAt),
      started: stamp(now >= startedAt, startedAt),
      completed: stamp(done, completedAt),
    },
    schedule: cycleTime(job.acceptedAt),
    expires: cycleTime(job.acceptedAt + EXPIRES_AFTER_MS),
    tasks,
    hash: createHash('sha256').update(`${job.id}:${job.caption}`).digest('hex'),
    limit_duplicates: job.limitDuplicates,
    creator: job.creator,
    state: { current: state, changed: cycleTime(changed), error: phase === 'error' ? { message: job.failure! } : null },
  };
}

/** The JobDescriptor a write answers with (cycle.md §6): `data.job.id` is what clients poll. */
export function describeJob(job: JobRecord): JobDescriptor {
  return {
    action: job.action,
    job: {
      id: job.id,
      accepted: true,
      queue: job.queue,
      schedule: cycleTime(job.acceptedAt),
      parallel: { sub_queue: null, tasks: false },
      tasks: job.tasks.map((t) => ({ caption: t.caption, header: t.header, input: t.input, steps: null })),
    },
  };
}

/**
 * Lets running jobs act on the store: reports each new step to the effect and, once a job is complete, applies its
 * effect exactly once, then drops it from `active`.
 */
export function advanceJobs(active: Set<JobRecord>, now: number): void {
  for (const job of active) {
    const step = runningStep(job, now);
    if (step !== job.lastStep && step >= 0 && step < stepCount(job)) {
      job.lastStep = step;
      job.effect?.onStep?.(step);
    }
    if (step >= stepCount(job) && !job.settled) {
      job.settled = true;
      active.delete(job);
      if (job.failure === undefined) job.effect?.onComplete();
    }
  }
}
