/**
 * Cloud Foundry's domain model as the graph sees it: camelCase, relationships as guids, and no secrets (a docker
 * package's password is reduced to whether one is set, cf-v3-packages.md §3).
 */
import type { MaybeInvalid } from '../shared/invalidValue.js';

/** `PackageModel::PACKAGE_STATES` (§3). */
export const CF_PACKAGE_STATES = [
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'READY',
  'FAILED',
  'COPYING',
  'EXPIRED',
] as const;
/** `UNKNOWN`: a state CF sent that the gateway does not know (`upstreamState` has CF's name). */
export type CfPackageState = (typeof CF_PACKAGE_STATES)[number] | 'UNKNOWN';
export type CfPackageType = 'bits' | 'docker';
/** CF v3 docs `droplets/_object.md.erb`. */
export const CF_DROPLET_STATES = [
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'STAGED',
  'COPYING',
  'FAILED',
  'EXPIRED',
] as const;
export type CfDropletState = (typeof CF_DROPLET_STATES)[number] | 'UNKNOWN';
export const CF_APP_STATES = ['STARTED', 'STOPPED'] as const;
export type CfAppState = (typeof CF_APP_STATES)[number];
/** §7: `POLLING` only for service-broker operations. */
export type CfJobState = 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED';

export interface KeyValue {
  key: string;
  /** CF's label and annotation values are `string | null`. */
  value: string | null;
}

export interface CfMetadata {
  labels: KeyValue[];
  annotations: KeyValue[];
}

export interface CfChecksum {
  /** `sha256`, or `sha1` for legacy packages; null when CF gives none. */
  type: string | null;
  value: string | null;
}

interface CfPackageCommon {
  guid: string;
  state: CfPackageState;
  upstreamState: string;
  createdAt: string;
  updatedAt: string | null;
  /** `relationships.app`, or the early-v3 create's `links.app` (seeds 000/001); null if CF sent neither. */
  appGuid: string | null;
  metadata: CfMetadata;
}

export interface CfBitsPackage extends CfPackageCommon {
  type: 'bits';
  bits: { checksum: CfChecksum | null; error: string | null };
}

/**
 * A docker package's data. Current CF answers `{image, username, password: "***"}` (§3); the early-v3 create
 * (seeds 000/001) answers `{image, credentials: {user, password, email, login_server}, store_image, hash, error}`.
 * Fields one shape lacks are null.
 */
export interface CfDockerData {
  image: string;
  username: string | null;
  /** The password is write-only: kept here as a boolean only, whatever CF answered. */
  hasPassword: boolean;
  email: string | null;
  loginServer: string | null;
  storeImage: boolean | null;
  hash: CfChecksum | null;
  error: string | null;
}

export interface CfDockerPackage extends CfPackageCommon {
  type: 'docker';
  docker: CfDockerData;
}

export type CfPackage = CfBitsPackage | CfDockerPackage;

export interface CfApp {
  guid: string;
  name: MaybeInvalid<string>;
  state: MaybeInvalid<CfAppState>;
  createdAt: string;
  updatedAt: string | null;
  lifecycle: { type: string; buildpacks: string[]; stack: string | null };
  spaceGuid: string | null;
  metadata: CfMetadata;
}

export interface CfDetectedBuildpack {
  name: string | null;
  detectOutput: string | null;
  version: string | null;
  buildpackName: string | null;
}

export interface CfDroplet {
  guid: string;
  state: CfDropletState;
  upstreamState: string;
  error: string | null;
  lifecycleType: string | null;
  checksum: CfChecksum | null;
  buildpacks: CfDetectedBuildpack[];
  stack: string | null;
  image: string | null;
  createdAt: string;
  updatedAt: string | null;
  appGuid: string | null;
  metadata: CfMetadata;
}

export interface CfJobError {
  code: number | null;
  title: string | null;
  detail: string | null;
}

/** A v3 job (§7). Keyed by `guid`, as CF names it (Cycle jobs have an `id`). */
export interface CfJob {
  guid: string;
  operation: string;
  state: CfJobState;
  createdAt: string | null;
  updatedAt: string | null;
  errors: CfJobError[];
  warnings: string[];
  /** The package the job acts on, while it exists (`links.package`). */
  packageGuid: string | null;
}

/** Writes to a package's metadata: PATCH deep-merges, a null value deletes the key (§1 "Metadata"). */
export interface CfMetadataChanges {
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
}

export type CfPackageCreate =
  | { type: 'bits'; appGuid: string; metadata?: CfMetadataChanges | null }
  | {
      type: 'docker';
      appGuid: string;
      image: string;
      username?: string | null;
      password?: string | null;
      /** Early-v3 route only (`data.credentials.email`, seeds 000/001). */
      email?: string | null;
      /** Early-v3 route only (`data.credentials.login_server`). */
      loginServer?: string | null;
      /** Early-v3 route only (`data.store_image`: whether CF caches the image). */
      storeImage?: boolean | null;
      metadata?: CfMetadataChanges | null;
    };

export interface CfPackageUpdate {
  metadata?: CfMetadataChanges | null;
  /** Docker packages only (§4 "Update"); top-level on the wire. */
  username?: string | null;
  password?: string | null;
}

/** A file CF may already have, matched by sha1 instead of uploaded (§4 "Upload", `resources`). */
export interface CfResourceMatch {
  path: string;
  sizeInBytes: number;
  sha1: string;
  mode?: string | null;
}

export interface CfBitsUpload {
  /** The zip, when one is sent. */
  zip?: { content: Uint8Array; filename: string } | null;
  resources?: readonly CfResourceMatch[] | null;
}

/** A downloaded package archive (§4 "Download"). */
export interface CfPackageArchive {
  guid: string;
  content: Buffer;
}

/** What `DELETE /v3/packages/:guid` answers: the job in its `Location` (§2). */
export interface CfJobRef {
  jobGuid: string;
  operation: string;
}
