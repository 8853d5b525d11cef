/** Public surface of the Docker Cloud upstream: the client and the domain types. Wire types stay private to this folder. */
export { DockerCloudClient } from './client.js';
export { decodeDockerCloudError } from './decode.js';
export { isDockerCloudNamespace } from './namespace.js';
export { DOCKER_CLOUD_MAX_PAGE_SIZE } from './paging.js';
export type * from './types.js';
