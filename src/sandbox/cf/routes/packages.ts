/**
 * Package routes (cf-v3-packages.md §2–§5): create (and copy), get, list, update, delete.
 * Bits upload/download live in packageBits.ts; the app-scoped list and the early-v3 create in apps.ts.
 */
import { sendEmpty, sendJson } from '../../shared/http.js';
import { unprocessable } from '../errors.js';
import { cfRoute, readJsonObject, type CfRequest, type CfRouteContext } from '../handler.js';
import { parseListQuery, passesFilter, passesResourceFilters, type ListQuery, type ListSpec } from '../listQuery.js';
import { assertPackageFitsApp, findPackage } from '../lookup.js';
import { mergeMetadata } from '../metadata.js';
import type { PackageRecord } from '../models.js';
import { beginDelete, copyPackage, createPackage } from '../packageLifecycle.js';
import { readPackageCopy, readPackageCreate, readPackageUpdate } from '../packageMessages.js';
import { paginate } from '../pagination.js';
import { presentPackage, presentStoredPackage } from '../presenters.js';
import { nowIso, type TenantStore } from '../store.js';

/** `PackagesListMessage` (cf-v3-packages.md §4). */
export const PACKAGE_LIST_SPEC: ListSpec = {
  arrayFilters: ['guids', 'states', 'types', 'app_guids', 'space_guids', 'organization_guids'],
  timestamps: true,
  labelSelector: true,
  orderBy: ['created_at', 'updated_at'],
};

export function registerPackageRoutes(context: CfRouteContext): void {
  cfRoute(context, 'GET', '/v3/packages', listPackages);
  cfRoute(context, 'POST', '/v3/packages', createOrCopyPackage);
  cfRoute(context, 'GET', '/v3/packages/:guid', getPackage);
  cfRoute(context, 'PATCH', '/v3/packages/:guid', updatePackage);
  cfRoute(context, 'DELETE', '/v3/packages/:guid', deletePackage);
}

/** Packages of the store that pass the list filters, in the default order (internal id). */
export function filterPackages(store: TenantStore, query: ListQuery, onlyAppGuid?: string): PackageRecord[] {
  const result: PackageRecord[] = [];
  for (const pkg of store.packages.values()) {
    if (onlyAppGuid !== undefined && pkg.appGuid !== onlyAppGuid) continue;
    if (!passesResourceFilters(pkg, query)) continue;
    if (
      !passesFilter(query, 'states', pkg.state) ||
      !passesFilter(query, 'types', pkg.type) ||
      !passesFilter(query, 'app_guids', pkg.appGuid)
    )
      continue;
    if (query.filters.has('space_guids') || query.filters.has('organization_guids')) {
      const app = store.appOfPackage(pkg);
      const space = app ? store.spaceOfApp(app) : undefined;
      if (!passesFilter(query, 'space_guids', space?.guid ?? null)) continue;
      if (!passesFilter(query, 'organization_guids', space?.organizationGuid ?? null)) continue;
    }
    result.push(pkg);
  }
  return result;
}

function listPackages({ res, url, store, baseUrl }: CfRequest): void {
  const query = parseListQuery(url.searchParams, PACKAGE_LIST_SPEC);
  sendJson(
    res,
    200,
    paginate(filterPackages(store, query), query, baseUrl, '/v3/packages', (p) => presentStoredPackage(p, baseUrl)),
  );
}

function getPackage({ res, params, store, baseUrl }: CfRequest): void {
  sendJson(res, 200, presentStoredPackage(findPackage(store, params.guid), baseUrl));
}

/** `POST /v3/packages` creates; with `?source_guid=` it copies (`PackagesController#create_copy`). */
async function createOrCopyPackage({ req, res, url, store, baseUrl }: CfRequest): Promise<void> {
  const body = await readJsonObject(req);
  const sourceGuid = url.searchParams.get('source_guid');
  if (sourceGuid !== null) {
    const destinationGuid = readPackageCopy(body);
    const destination = store.apps.get(destinationGuid);
    if (!destination) throw unprocessable('App is invalid. Ensure it exists and you have access to it.');
    const source = store.packages.get(sourceGuid);
    if (!source) throw unprocessable('Source package is invalid. Ensure it exists and you have access to it.');
    if (source.appGuid === destination.guid) throw unprocessable('Source and destination app cannot be the same');
    // I: CC's copier does not re-check lifecycles; the emulator keeps its invariant that a docker app holds only
    // docker packages (and a buildpack app only bits), with the create messages.
    assertPackageFitsApp(destination, source.type);
    sendJson(res, 201, presentPackage(copyPackage(store, source, destination), baseUrl));
    return;
  }
  const message = readPackageCreate(body);
  const app = store.apps.get(message.appGuid);
  if (!app) throw unprocessable('App is invalid. Ensure it exists and you have access to it.');
  assertPackageFitsApp(app, message.type);
  sendJson(res, 201, presentPackage(createPackage(store, message, app), baseUrl));
}

async function updatePackage({ req, res, params, store, baseUrl }: CfRequest): Promise<void> {
  const pkg = findPackage(store, params.guid);
  const message = readPackageUpdate(await readJsonObject(req));
  if (message.credentials !== null) {
    if (pkg.type !== 'docker') throw unprocessable('Cannot update Docker credentials for a buildpack app.');
    if (message.credentials.username !== undefined) pkg.username = message.credentials.username;
    if (message.credentials.password !== undefined) pkg.password = message.credentials.password;
  }
  pkg.metadata = mergeMetadata(pkg.metadata, message.metadata);
  pkg.updatedAt = nowIso();
  sendJson(res, 200, presentPackage(pkg, baseUrl));
}

/** 202, empty body, `Location` of the `package.delete` job (`head HTTP::ACCEPTED, 'Location' => …`). */
function deletePackage({ res, params, store, baseUrl }: CfRequest): void {
  const job = beginDelete(store, findPackage(store, params.guid));
  sendEmpty(res, 202, { location: `${baseUrl}/v3/jobs/${job.guid}` });
}
