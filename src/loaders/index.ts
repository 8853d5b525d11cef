/** All per-request loaders. Built in the context factory, once per GraphQL request: nothing is shared across requests. */
import type { Upstreams } from '../upstreams/index.js';
import { CfLoaders } from './cf.js';
import { CycleLoaders } from './cycle.js';
import { DockerCloudLoaders } from './dockercloud.js';

export interface Loaders {
  cycle: CycleLoaders;
  cf: CfLoaders;
  dockercloud: DockerCloudLoaders;
}

export function createLoaders(upstreams: Upstreams): Loaders {
  return { cycle: new CycleLoaders(upstreams.cycle), cf: new CfLoaders(upstreams.cf), dockercloud: new DockerCloudLoaders(upstreams.dockercloud) };
}
