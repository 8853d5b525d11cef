/** All per-request loaders. Built in the context factory, once per GraphQL request: nothing is shared across requests. */
import type { Upstreams } from '../upstreams/index.js';
import { CycleLoaders } from './cycle.js';

export interface Loaders {
  cycle: CycleLoaders;
}

export function createLoaders(upstreams: Upstreams): Loaders {
  return { cycle: new CycleLoaders(upstreams.cycle) };
}
