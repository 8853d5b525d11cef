/** All per-request loaders. Built in the context factory, once per GraphQL request: nothing is shared across requests. */
import type { Upstreams } from '../upstreams/index.js';
import { CfLoaders } from './cf.js';
import { CycleLoaders } from './cycle.js';
import { DockerCloudLoaders } from './dockercloud.js';
import type { BatchObserver } from './observe.js';
import { ReadOnce } from './readOnce.js';

export type { BatchObserver } from './observe.js';

export interface Loaders {
  cycle: CycleLoaders;
  cf: CfLoaders;
  dockercloud: DockerCloudLoaders;
  /** Drops the list reads this operation memoised (loaders/readOnce.ts): around each root mutation field. */
  forgetReads(): void;
}

/**
 * @param dockerCloudUser the user this request's Docker Cloud credential authenticates: its own namespace
 * @param observe told of every batch (metrics); none by default.
 */
export function createLoaders(
  upstreams: Upstreams,
  dockerCloudUser: () => string | null,
  observe?: BatchObserver,
): Loaders {
  const reads = new ReadOnce();
  return {
    cycle: new CycleLoaders(upstreams.cycle, observe, reads),
    cf: new CfLoaders(upstreams.cf, observe, reads),
    dockercloud: new DockerCloudLoaders(upstreams.dockercloud, dockerCloudUser, observe, reads),
    forgetReads: () => reads.forget(),
  };
}
