/** `GET /v3/jobs/:guid` (cf-v3-packages.md §7): the only jobs route; there is no list. */
import { sendJson } from '../../shared/http.js';
import { notFound } from '../errors.js';
import { cfRoute, type CfRequest, type CfRouteContext } from '../handler.js';
import { presentJob } from '../presenters.js';

export function registerJobRoutes(context: CfRouteContext): void {
  cfRoute(context, 'GET', '/v3/jobs/:guid', getJob);
}

function getJob({ res, params, store, baseUrl }: CfRequest): void {
  const job = params.guid === undefined ? undefined : store.jobs.get(params.guid);
  if (!job) throw notFound('Job');
  sendJson(res, 200, presentJob(job, baseUrl, store.packages.has(job.resourceGuid)));
}
