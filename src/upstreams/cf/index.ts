/** Public surface of the Cloud Foundry upstream: the client and the domain types. Wire types stay private to this folder. */
export { CfClient, type CfCreateRoute } from './client.js';
export { decodeCfError } from './decode.js';
export type { CfAppFilter, CfDropletFilter, CfOrder, CfPackageFilter, CfTimeRange } from './encode.js';
export { CF_GUIDS_PER_REQUEST, CF_MAX_PAGE_SIZE } from './paging.js';
export { isCfJobTerminal, isCfPackageBusy, isCfPackageTerminal } from './states.js';
export type * from './types.js';
