/**
 * The 17 Cycle routes of cycle.md §4, with their paths exactly as the spec registers them. Static segments win over
 * parameters in find-my-way, so `/v1/images/sources` and `/v1/jobs/latest` are never read as ids.
 */
import type { EmulatorRouter } from '../../shared/emulator.js';
import type { CycleStore } from '../store.js';
import { cycleRoute, type CycleHandler } from './common.js';
import { factoryUpload } from './factory.js';
import { imageHandlers as images } from './images.js';
import { jobHandlers as jobs } from './jobs.js';
import { sourceHandlers as sources } from './sources.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const ROUTES: readonly [Method, string, CycleHandler][] = [
  ['GET', '/v1/images', images.listImages],
  ['POST', '/v1/images', images.createImage],
  ['GET', '/v1/images/:imageId', images.getImage],
  ['PATCH', '/v1/images/:imageId', images.updateImage],
  ['DELETE', '/v1/images/:imageId', images.deleteImage],
  ['GET', '/v1/images/:imageId/build-log', images.getBuildLog],
  ['POST', '/v1/images/tasks', images.createImagesJob],
  ['POST', '/v1/images/:imageId/tasks', images.createImageJob],
  ['GET', '/v1/images/sources', sources.listSources],
  ['POST', '/v1/images/sources', sources.createSource],
  ['GET', '/v1/images/sources/:sourceId', sources.getSource],
  ['PATCH', '/v1/images/sources/:sourceId', sources.updateSource],
  ['DELETE', '/v1/images/sources/:sourceId', sources.deleteSource],
  ['PATCH', '/v1/images/sources/:sourceId/access', sources.updateSourceAccess],
  ['GET', '/v1/jobs/:jobId', jobs.getJob],
  ['GET', '/v1/jobs', jobs.listJobs],
  ['GET', '/v1/jobs/latest', jobs.latestJobs],
];

export function registerCycleRoutes(router: EmulatorRouter, storesByKey: ReadonlyMap<string, CycleStore>): void {
  for (const [method, path, handler] of ROUTES) router.on(method, path, cycleRoute(storesByKey, handler));
  // Cycle's factory (a host of its own in production), on the same port: routes/factory.ts.
  router.on('POST', '/v1/images/:imageId/upload', factoryUpload(storesByKey));
}
