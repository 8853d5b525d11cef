/**
 * How packages change state over time (cf-v3-packages.md §4, §7). Each operation applies its immediate effect and
 * schedules the rest on the tenant store, which applies it once `jobDurationMs` has passed:
 * - create: bits → AWAITING_UPLOAD, docker → READY (`PackageCreate#get_package_state`);
 * - copy: bits → COPYING, then READY with the source's bits (or FAILED when the source has none); docker → READY;
 * - upload: PROCESSING_UPLOAD, then READY with the sha256 of the stored bytes, or FAILED with `data.error`;
 * - delete: a `package.delete` job PROCESSING, then COMPLETE, and the package (and its droplets) gone.
 */
import { randomUUID } from 'node:crypto';
import { archiveFromResources, isZipArchive, sha256Hex } from './bits.js';
import { CfApiError } from './errors.js';
import { mergeMetadata } from './metadata.js';
import type { AppRecord, BitsPackage, JobRecord, PackageRecord } from './models.js';
import type { PackageCreateMessage } from './packageMessages.js';
import { nowIso, type TenantStore } from './store.js';

export function createPackage(store: TenantStore, message: PackageCreateMessage, app: AppRecord): PackageRecord {
  const now = nowIso();
  const common = {
    guid: randomUUID(),
    seq: store.nextSeq(),
    appGuid: app.guid,
    createdAt: now,
    updatedAt: now,
    metadata: mergeMetadata({ labels: {}, annotations: {} }, message.metadata),
  };
  const pkg: PackageRecord =
    message.type === 'docker'
      ? {
          ...common,
          type: 'docker',
          state: 'READY',
          image: message.docker!.image,
          username: message.docker!.username,
          password: message.docker!.password,
          ...(message.docker!.earlyV3 ? { earlyV3: { ...message.docker!.earlyV3 } } : {}),
        }
      : {
          ...common,
          type: 'bits',
          state: 'AWAITING_UPLOAD',
          checksum: { type: 'sha256', value: null },
          error: null,
          bits: null,
        };
  store.packages.set(pkg.guid, pkg);
  return pkg;
}

/** `PackageCopy#copy`: type and docker data are copied, metadata is not. */
export function copyPackage(store: TenantStore, source: PackageRecord, destination: AppRecord): PackageRecord {
  const now = nowIso();
  const common = {
    guid: randomUUID(),
    seq: store.nextSeq(),
    appGuid: destination.guid,
    createdAt: now,
    updatedAt: now,
    metadata: { labels: {}, annotations: {} },
  };
  if (source.type === 'docker') {
    const copy: PackageRecord = {
      ...common,
      type: 'docker',
      state: 'READY',
      image: source.image,
      username: source.username,
      password: source.password,
    };
    store.packages.set(copy.guid, copy);
    return copy;
  }
  const copy: BitsPackage = {
    ...common,
    type: 'bits',
    state: 'COPYING',
    checksum: { type: 'sha256', value: null },
    error: null,
    bits: null,
  };
  store.packages.set(copy.guid, copy);
  store.schedule((doneAt) => {
    if (store.packages.get(copy.guid) !== copy) return;
    // The copier reads the source's blob when it runs (`Jobs::V3::PackageBitsCopier`).
    const current = store.packages.get(source.guid);
    const bits = current?.type === 'bits' ? current.bits : null;
    if (bits) succeed(copy, bits);
    else fail(copy, 'failed to copy - source package has no bits');
    copy.updatedAt = doneAt;
  });
  return copy;
}

export interface UploadedBits {
  /** The `bits` file, when one was sent. */
  bits: Uint8Array | null;
  /** The parsed `resources` list, when one was sent. */
  resources: { path: string }[] | null;
}

/** Moves the package to PROCESSING_UPLOAD now, and to READY or FAILED when the processing job has run. */
export function beginUpload(store: TenantStore, pkg: BitsPackage, upload: UploadedBits): void {
  pkg.state = 'PROCESSING_UPLOAD';
  pkg.updatedAt = nowIso();
  store.schedule((doneAt) => {
    if (store.packages.get(pkg.guid) !== pkg) return;
    const bits = upload.bits ?? archiveFromResources(upload.resources ?? []);
    // `PackageModel#fail_upload!` with the packager's error (`invalid_zip!`) when the bits are not a zip.
    if (isZipArchive(bits)) succeed(pkg, bits);
    else fail(pkg, new CfApiError('AppBitsUploadInvalid', 'Invalid zip archive.').message);
    pkg.updatedAt = doneAt;
  });
}

/** `PackageModel#succeed_upload!`: READY, the bits stored, their sha256 recorded. */
function succeed(pkg: BitsPackage, bits: Uint8Array): void {
  pkg.state = 'READY';
  pkg.bits = bits;
  pkg.checksum = { type: 'sha256', value: sha256Hex(bits) };
  pkg.error = null;
}

function fail(pkg: BitsPackage, error: string): void {
  pkg.state = 'FAILED';
  pkg.error = error;
}

/** `DELETE /v3/packages/:guid`: a pollable `package.delete` job; the package is removed when it completes. */
export function beginDelete(store: TenantStore, pkg: PackageRecord): JobRecord {
  const now = nowIso();
  const job: JobRecord = {
    guid: randomUUID(),
    createdAt: now,
    updatedAt: now,
    operation: 'package.delete',
    state: 'PROCESSING',
    resourceType: 'package',
    resourceGuid: pkg.guid,
    errors: [],
    warnings: [],
  };
  store.jobs.set(job.guid, job);
  store.schedule((doneAt) => {
    store.packages.delete(pkg.guid);
    // Droplets are reachable here only through their package, so they go with it.
    for (const droplet of [...store.droplets.values()])
      if (droplet.packageGuid === pkg.guid) store.droplets.delete(droplet.guid);
    job.state = 'COMPLETE';
    job.updatedAt = doneAt;
  });
  return job;
}
