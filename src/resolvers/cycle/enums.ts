/**
 * GraphQL enum values ↔ Cycle's own strings. The same pairs are declared for codegen (codegen.yml `enumValues`), so
 * the compiler checks these maps against the generated types.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const cycleEnumResolvers = {
  ImageState: {
    NEW: 'new',
    UPLOADING: 'uploading',
    DOWNLOADING: 'downloading',
    BUILDING: 'building',
    VERIFYING: 'verifying',
    SAVING: 'saving',
    LIVE: 'live',
    DELETING: 'deleting',
    DELETED: 'deleted',
    UNKNOWN: 'unknown',
  },
  ImageSourceState: { LIVE: 'live', DELETING: 'deleting', DELETED: 'deleted', UNKNOWN: 'unknown' },
  ImageSourceType: { DIRECT: 'direct', STACK_BUILD: 'stack-build', BUCKET: 'bucket' },
  ImageOriginType: {
    DOCKER_HUB: 'docker-hub',
    DOCKER_REGISTRY: 'docker-registry',
    OCI_REGISTRY: 'oci-registry',
    DOCKER_FILE: 'docker-file',
    CYCLE_UPLOAD: 'cycle-upload',
    CYCLE_SOURCE: 'cycle-source',
    NONE: 'none',
  },
} satisfies Resolvers;
