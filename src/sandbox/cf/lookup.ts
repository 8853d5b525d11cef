/**
 * By-guid lookups inside one tenant's store. A guid of another tenant is not found, exactly like a guid that does
 * not exist: CC answers 404 `CF-ResourceNotFound` ("Package not found") for resources the user cannot read.
 */
import { notFound, unprocessable } from './errors.js';
import type { AppRecord, PackageRecord } from './models.js';
import type { TenantStore } from './store.js';

export function findPackage(store: TenantStore, guid: string | undefined): PackageRecord {
  const pkg = guid === undefined ? undefined : store.packages.get(guid);
  if (!pkg) throw notFound('Package');
  return pkg;
}

export function findApp(store: TenantStore, guid: string | undefined): AppRecord {
  const app = guid === undefined ? undefined : store.apps.get(guid);
  if (!app) throw notFound('App');
  return app;
}

/**
 * A docker-lifecycle app takes only docker packages, a buildpack app only bits (`PackageCreate`; 422 details as in
 * cf-v3-packages.md §4).
 */
export function assertPackageFitsApp(app: AppRecord, type: PackageRecord['type']): void {
  if (type === 'docker' && app.lifecycle.type !== 'docker')
    throw unprocessable('Cannot create Docker package for a buildpack app.');
  if (type === 'bits' && app.lifecycle.type === 'docker')
    throw unprocessable('Cannot create bits package for a Docker app.');
}
