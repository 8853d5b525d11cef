/**
 * All per-request loaders. Built in the context factory, once per GraphQL request: nothing is shared across requests.
 * Each upstream's set is built on first use: most requests read one upstream, and some (`{ __typename }`, a rejected
 * operation) none.
 */
import type { Upstreams } from '../upstreams/index.js';
import { CfLoaders } from './cf.js';
import { CycleLoaders } from './cycle.js';
import { DockerCloudLoaders } from './dockercloud.js';
import type { BatchObserver } from './observe.js';
import { ReadOnce } from './readOnce.js';

export type { BatchObserver } from './observe.js';

export interface Loaders {
  readonly cycle: CycleLoaders;
  readonly cf: CfLoaders;
  readonly dockercloud: DockerCloudLoaders;
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
  return new RequestLoaders(upstreams, dockerCloudUser, observe);
}

class RequestLoaders implements Loaders {
  readonly #reads = new ReadOnce();
  #cycle: CycleLoaders | undefined;
  #cf: CfLoaders | undefined;
  #dockercloud: DockerCloudLoaders | undefined;

  constructor(
    private readonly upstreams: Upstreams,
    private readonly dockerCloudUser: () => string | null,
    private readonly observe: BatchObserver | undefined,
  ) {}

  get cycle(): CycleLoaders {
    return (this.#cycle ??= new CycleLoaders(this.upstreams.cycle, this.observe, this.#reads));
  }

  get cf(): CfLoaders {
    return (this.#cf ??= new CfLoaders(this.upstreams.cf, this.observe, this.#reads));
  }

  get dockercloud(): DockerCloudLoaders {
    return (this.#dockercloud ??= new DockerCloudLoaders(
      this.upstreams.dockercloud,
      this.dockerCloudUser,
      this.observe,
      this.#reads,
    ));
  }

  forgetReads(): void {
    this.#reads.forget();
  }
}
