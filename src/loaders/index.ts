/** All per-request loaders. Built in the context factory, once per GraphQL request: nothing is shared across requests. */
import type { Upstreams } from '../upstreams/index.js';
import { CfLoaders } from './cf.js';
import { CycleLoaders } from './cycle.js';
import { DockerCloudLoaders } from './dockercloud.js';
import type { BatchObserver } from './observe.js';

export type { BatchObserver } from './observe.js';

export interface Loaders {
  cycle: CycleLoaders;
  cf: CfLoaders;
  dockercloud: DockerCloudLoaders;
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
  return {
    cycle: new CycleLoaders(upstreams.cycle, observe),
    cf: new CfLoaders(upstreams.cf, observe),
    dockercloud: new DockerCloudLoaders(upstreams.dockercloud, dockerCloudUser, observe),
  };
}
