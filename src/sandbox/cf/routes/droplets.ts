/**
 * `GET /v3/packages/:guid/droplets` (cf-v3-packages.md §4 "Droplets for a package"; v3 docs
 * `droplets/_list_for_package`): `guids`, `states`, `page`, `per_page`, `order_by`, `label_selector`.
 */
import { sendJson } from '../../shared/http.js';
import { cfRoute, type CfRequest, type CfRouteContext } from '../handler.js';
import { parseListQuery, passesFilter, passesResourceFilters, type ListSpec } from '../listQuery.js';
import { findPackage } from '../lookup.js';
import { paginate } from '../pagination.js';
import { presentDropletInList } from '../presenters.js';

const PACKAGE_DROPLET_LIST_SPEC: ListSpec = {
  arrayFilters: ['guids', 'states'],
  timestamps: false,
  labelSelector: true,
  orderBy: ['created_at', 'updated_at'],
};

export function registerDropletRoutes(context: CfRouteContext): void {
  cfRoute(context, 'GET', '/v3/packages/:guid/droplets', listPackageDroplets);
}

function listPackageDroplets({ res, params, url, store, baseUrl }: CfRequest): void {
  const query = parseListQuery(url.searchParams, PACKAGE_DROPLET_LIST_SPEC);
  const pkg = findPackage(store, params.guid);
  const droplets = [...store.droplets.values()].filter(
    (d) => d.packageGuid === pkg.guid && passesResourceFilters(d, query) && passesFilter(query, 'states', d.state),
  );
  const path = `/v3/packages/${pkg.guid}/droplets`;
  sendJson(
    res,
    200,
    paginate(droplets, query, baseUrl, path, (d) => presentDropletInList(d, baseUrl)),
  );
}
