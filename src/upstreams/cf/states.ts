/**
 * Cloud Foundry's state rules (cf-v3-packages.md §4, §7), defined once for every user: the mutations' `awaitMs`
 * waits, the subscriptions' watches, and the job resolvers' `done`/`completedAt`.
 */
import type { CfJob, CfPackage, CfPackageState } from './types.js';

/** A job is terminal once no longer PROCESSING (or POLLING, for service operations): COMPLETE or FAILED (§7). */
export function isCfJobTerminal(job: CfJob): boolean {
  return job.state === 'COMPLETE' || job.state === 'FAILED';
}

/**
 * Background work runs on the package: a copy (COPYING) or an upload being processed (PROCESSING_UPLOAD), for which
 * CF exposes no job (§4). A write that started it waits (`awaitMs`) while this holds. AWAITING_UPLOAD is not busy:
 * nothing happens until the client uploads, so waiting on it would only spend the caller's time.
 */
export function isCfPackageBusy(pkg: CfPackage): boolean {
  return pkg.state === 'COPYING' || pkg.state === 'PROCESSING_UPLOAD';
}

const TERMINAL_PACKAGE_STATES: ReadonlySet<CfPackageState> = new Set(['READY', 'FAILED', 'EXPIRED']);

/**
 * The package will not change state any more (READY, FAILED, EXPIRED). A watch ends here, not at AWAITING_UPLOAD:
 * its subscriber is waiting for the upload that is still to come.
 */
export function isCfPackageTerminal(pkg: CfPackage): boolean {
  return TERMINAL_PACKAGE_STATES.has(pkg.state);
}
