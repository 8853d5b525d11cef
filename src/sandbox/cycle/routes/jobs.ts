/**
 * Jobs (cycle.md §4 rows 15-17, §6): get one, list (include=creators; filter range-start/range-end/search/state;
 * sort; page), latest. A job younger than 10% of its duration is not visible yet: 404 `404.job` and absent from
 * lists, as a freshly accepted Cycle job can be (§6 "a job can be missing just after it is created").
 */
import { CycleError } from '../errors.js';
import { JOB_INCLUDES, jobIncludes, withIncludes } from '../includes.js';
import { isJobVisible, renderJob, type JobRecord } from '../jobs.js';
import { pageOf, sortItems } from '../listing.js';
import { filterList, parseListQuery } from '../query.js';
import type { Job } from '../wire.js';
import { param, type CycleHandler } from './common.js';

const JOB_VOCABULARY = {
  includes: JOB_INCLUDES,
  metas: [],
  sortFields: [
    'id',
    'hub_id',
    'queue',
    'caption',
    'events',
    'schedule',
    'expires',
    'tasks',
    'hash',
    'limit_duplicates',
    'creator',
    'state',
  ],
} as const;

const NEWEST_FIRST = [{ path: ['schedule'], descending: true }];
/** (I) "List Latest Jobs" has no parameters; this emulator answers the 10 most recent jobs, newest first. */
const LATEST_COUNT = 10;

function dateFilter(filter: ReadonlyMap<string, string>, key: string): number | undefined {
  const raw = filter.get(key);
  if (raw === undefined || raw === '') return undefined;
  const time = Date.parse(raw);
  if (Number.isNaN(time))
    throw new CycleError('422.invalid-argument', `filter[${key}] must be an RFC 3339 date-time, got "${raw}".`);
  return time;
}

function visibleJobs(jobs: Iterable<JobRecord>, now: number): Job[] {
  const out: Job[] = [];
  for (const job of jobs) if (isJobVisible(job, now)) out.push(renderJob(job, now));
  return out;
}

function matchesSearch(job: Job, search: string): boolean {
  const haystack = [job.id, job.caption, job.queue, ...job.tasks.flatMap((t) => [t.caption, t.header])];
  return haystack.some((text) => text.toLowerCase().includes(search));
}

const listJobs: CycleHandler = ({ store, query }) => {
  const q = parseListQuery(query, JOB_VOCABULARY);
  const now = Date.now();
  const start = dateFilter(q.filter, 'range-start');
  const end = dateFilter(q.filter, 'range-end');
  const states = filterList(q.filter, 'state');
  const search = q.filter.get('search')?.toLowerCase();
  const candidates = [...store.jobs.values()].filter(
    (job) => (start === undefined || job.acceptedAt >= start) && (end === undefined || job.acceptedAt <= end),
  );
  const matching = visibleJobs(candidates, now).filter(
    (job) => (!states || states.has(job.state.current)) && (!search || matchesSearch(job, search)),
  );
  const page = pageOf(sortItems(matching, q.sort, NEWEST_FIRST), q.page);
  return { status: 200, body: withIncludes(page, q.include, () => jobIncludes(store, page, q.include)) };
};

const latestJobs: CycleHandler = ({ store }) => {
  const now = Date.now();
  const newest = [...store.jobs.values()]
    .sort((a, b) => b.acceptedAt - a.acceptedAt)
    .filter((job) => isJobVisible(job, now));
  return { status: 200, body: { data: newest.slice(0, LATEST_COUNT).map((job) => renderJob(job, now)) } };
};

const getJob: CycleHandler = (context) => {
  const job = context.store.job(param(context, 'jobId'));
  const now = Date.now();
  if (!isJobVisible(job, now)) throw new CycleError('404.job', `No job with id "${job.id}" exists in this hub.`);
  return { status: 200, body: { data: renderJob(job, now) } };
};

export const jobHandlers = { listJobs, latestJobs, getJob };
