/**
 * Enough of `/v3/apps` for packages' apps to be real (CF v3 docs "Apps"), plus the app-scoped package routes:
 * - `GET /v3/apps`, `GET /v3/apps/:guid`;
 * - `GET /v3/apps/:guid/packages`: the package list parameters except `app_guids`, `space_guids`,
 *   `organization_guids`, which are refused as unknown (`PackagesListMessage#app_nested_request`, §4);
 * - `POST /v3/apps/:guid/packages`: the early-v3 create (removed from CC in 2017, cf-v3-packages.md ⚠), with the
 *   body and answer of seeds 000/001 (`data.credentials`, `store_image`; `data.hash`, `links.app`), the app taken
 *   from the path and otherwise the semantics of `POST /v3/packages`. Its old controller answered a missing app with
 *   404 "App not found" (`app_not_found!`), which we keep on this route.
 */
import { sendJson } from '../../shared/http.js';
import { cfRoute, readJsonObject, type CfRequest, type CfRouteContext } from '../handler.js';
import { parseListQuery, passesFilter, passesResourceFilters, type ListSpec } from '../listQuery.js';
import { assertPackageFitsApp, findApp } from '../lookup.js';
import type { AppRecord } from '../models.js';
import { createPackage } from '../packageLifecycle.js';
import { readEarlyV3PackageCreate } from '../packageMessages.js';
import { paginate } from '../pagination.js';
import { presentApp, presentEarlyV3Package, presentStoredPackage } from '../presenters.js';
import type { TenantStore } from '../store.js';
import { filterPackages, PACKAGE_LIST_SPEC } from './packages.js';

/**
 * `AppsListMessage`, less `include`, `lifecycle_type` and the rest of the apps API this emulator leaves out
 * (they answer "Unknown query parameter(s)").
 */
const APP_LIST_SPEC: ListSpec = {
  arrayFilters: ['guids', 'names', 'space_guids', 'organization_guids', 'stacks'],
  timestamps: true,
  labelSelector: true,
  orderBy: ['created_at', 'updated_at', 'name', 'state'],
};

const APP_PACKAGE_LIST_SPEC: ListSpec = {
  ...PACKAGE_LIST_SPEC,
  arrayFilters: ['guids', 'states', 'types'],
  refusedHere: ['app_guids', 'space_guids', 'organization_guids'],
};

const APP_ORDER_COLUMNS = { name: (a: AppRecord) => a.name, state: (a: AppRecord) => a.state };

export function registerAppRoutes(context: CfRouteContext): void {
  cfRoute(context, 'GET', '/v3/apps', listApps);
  cfRoute(context, 'GET', '/v3/apps/:guid', getApp);
  cfRoute(context, 'GET', '/v3/apps/:guid/packages', listAppPackages);
  cfRoute(context, 'POST', '/v3/apps/:guid/packages', createAppPackage);
}

function listApps({ res, url, store, baseUrl }: CfRequest): void {
  const query = parseListQuery(url.searchParams, APP_LIST_SPEC);
  const apps = [...store.apps.values()].filter((app) => {
    const space = store.spaceOfApp(app);
    return (
      passesResourceFilters(app, query) &&
      passesFilter(query, 'names', app.name) &&
      passesFilter(query, 'space_guids', space.guid) &&
      passesFilter(query, 'organization_guids', space.organizationGuid) &&
      passesFilter(query, 'stacks', app.lifecycle.type === 'buildpack' ? app.lifecycle.stack : null)
    );
  });
  sendJson(
    res,
    200,
    paginate(apps, query, baseUrl, '/v3/apps', (a) => presentApp(a, baseUrl), APP_ORDER_COLUMNS),
  );
}

function getApp({ res, params, store, baseUrl }: CfRequest): void {
  sendJson(res, 200, presentApp(findApp(store, params.guid), baseUrl));
}

/** Query first, app second: CC validates the message before it looks the app up. */
function listAppPackages({ res, params, url, store, baseUrl }: CfRequest): void {
  const query = parseListQuery(url.searchParams, APP_PACKAGE_LIST_SPEC);
  const app = findApp(store, params.guid);
  const path = `/v3/apps/${app.guid}/packages`;
  sendJson(
    res,
    200,
    paginate(filterPackages(store, query, app.guid), query, baseUrl, path, (p) => presentStoredPackage(p, baseUrl)),
  );
}

/**
 * (I) The early-v3 docs print their example app as `guid-d8b8…` in the route (seed 000) and as `d8b8…` in the
 * answer's link (seed 001): their generator's guids carried a `guid-` prefix. This route finds the app either way,
 * so the documented request works verbatim; the package belongs to the app's own guid.
 */
function findEarlyV3App(store: TenantStore, guid: string): AppRecord {
  const prefixed = /^guid-(.+)$/.exec(guid);
  return store.apps.get(guid) ?? findApp(store, prefixed ? prefixed[1] : guid);
}

async function createAppPackage({ req, res, params, store, baseUrl }: CfRequest): Promise<void> {
  const message = readEarlyV3PackageCreate(await readJsonObject(req), params.guid ?? '');
  const app = findEarlyV3App(store, message.appGuid);
  message.appGuid = app.guid;
  assertPackageFitsApp(app, message.type);
  sendJson(res, 201, presentEarlyV3Package(createPackage(store, message, app), baseUrl));
}
