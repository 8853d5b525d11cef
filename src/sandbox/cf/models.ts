/**
 * The emulator's in-memory records: what Cloud Controller keeps in its database, before a presenter turns it into
 * JSON (presenters.ts). Timestamps are already in CC's wire form (`YYYY-MM-DDThh:mm:ssZ`, cf-v3-packages.md §1),
 * which also makes them comparable as strings.
 */

export interface Metadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** `PackageModel::PACKAGE_STATES` (cf-v3-packages.md §3). */
export const PACKAGE_STATES = [
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'READY',
  'FAILED',
  'COPYING',
  'EXPIRED',
] as const;
export type PackageState = (typeof PACKAGE_STATES)[number];

/** Fields every stored resource has; `seq` stands for CC's internal `id`, the default list order (§4). */
export interface StoredResource {
  guid: string;
  seq: number;
  createdAt: string;
  updatedAt: string;
  metadata: Metadata;
}

interface PackageCommon extends StoredResource {
  appGuid: string;
  state: PackageState;
}

export interface BitsPackage extends PackageCommon {
  type: 'bits';
  /** `sha1` only for legacy packages with a sha1 hash and no sha256 (`PackageModel#checksum_info`). */
  checksum: { type: 'sha256' | 'sha1'; value: string | null };
  error: string | null;
  /** The stored zip (the local blobstore); null when nothing was uploaded or the bits expired. */
  bits: Uint8Array | null;
}

export interface DockerPackage extends PackageCommon {
  type: 'docker';
  image: string;
  username: string | null;
  /** Stored; the current presenter censors it to `"***"` (§3), the early-v3 create's answer echoes it (seed 000). */
  password: string | null;
  /** The early-v3 create's extra docker data (seeds 000/001); absent for packages created any other way. */
  earlyV3?: EarlyV3DockerData;
}

export interface EarlyV3DockerData {
  email: string | null;
  loginServer: string | null;
  /** `store_image`, false unless given ("defaults to false", seed 000). */
  storeImage: boolean;
}

export type PackageRecord = BitsPackage | DockerPackage;

export type AppLifecycle = { type: 'buildpack'; buildpacks: string[]; stack: string } | { type: 'docker' };

export interface AppRecord extends StoredResource {
  name: string;
  state: 'STARTED' | 'STOPPED';
  lifecycle: AppLifecycle;
  spaceGuid: string;
}

export interface SpaceRecord {
  guid: string;
  name: string;
  organizationGuid: string;
}

export interface OrganizationRecord {
  guid: string;
  name: string;
}

export const DROPLET_STATES = [
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'STAGED',
  'COPYING',
  'FAILED',
  'EXPIRED',
] as const;
export type DropletState = (typeof DROPLET_STATES)[number];

export interface DetectedBuildpack {
  name: string | null;
  detect_output: string | null;
  version: string | null;
  buildpack_name: string | null;
}

export interface DropletRecord extends StoredResource {
  packageGuid: string;
  appGuid: string;
  state: DropletState;
  error: string | null;
  lifecycle: 'buildpack' | 'docker';
  checksum: { type: 'sha256'; value: string } | null;
  buildpacks: DetectedBuildpack[] | null;
  stack: string | null;
  image: string | null;
  processTypes: Record<string, string>;
  executionMetadata: string;
}

/** `PollableJobModel` states (cf-v3-packages.md §7); POLLING is for service brokers only. */
export type JobState = 'PROCESSING' | 'COMPLETE' | 'FAILED';

export interface JobRecord {
  guid: string;
  createdAt: string;
  updatedAt: string;
  /** `DeleteActionJob#display_name`: `"#{resource_type}.delete"`. */
  operation: 'package.delete';
  state: JobState;
  resourceType: 'package';
  resourceGuid: string;
  errors: { code: number; title: string; detail: string }[];
  warnings: { detail: string }[];
}
