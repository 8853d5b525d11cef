/** Public surface of the Cycle upstream: the client and the domain types. Wire types stay private to this folder. */
export { CycleClient } from './client.js';
export type {
  CycleCreateImage,
  CycleFetch,
  CycleImageFilter,
  CycleJobFilter,
  CycleList,
  CycleOne,
  CycleSort,
  CycleSourceFilter,
} from './client.js';
export { creatorKey, decodeCycleError } from './decode.js';
export { fieldNames, imageFetchPlan, jobFetchPlan, sourceFetchPlan, type SelectedFieldNames } from './fetchPlan.js';
export { CYCLE_MAX_PAGE_SIZE } from './paging.js';
export { isCycleImageSettled, isCycleJobTerminal } from './states.js';
export type { CycleFactoryOptions, ImageTar, SecretSink } from './upload.js';
export type * from './types.js';
