/**
 * Domain inputs → Cloud Foundry v3 query parameters and request bodies (cf-v3-packages.md §4). Keys a caller left
 * out are left out, so an update changes only what was given.
 */
import type { CfMetadataChanges, CfPackageCreate, CfPackageUpdate, CfResourceMatch } from './types.js';

type Params = [string, string][];

/** Relational bounds of a timestamp filter (`created_ats[gt]=…`, §4), as ISO strings. */
export interface CfTimeRange {
  gt?: string | null;
  gte?: string | null;
  lt?: string | null;
  lte?: string | null;
}

/** Filters shared by every v3 list (guids, label selector, timestamps). */
export interface CfResourceFilter {
  guids?: readonly string[] | null;
  labelSelector?: string | null;
  createdAt?: CfTimeRange | null;
  updatedAt?: CfTimeRange | null;
}

export interface CfPackageFilter extends CfResourceFilter {
  types?: readonly string[] | null;
  states?: readonly string[] | null;
  /** Not accepted by `GET /v3/apps/:guid/packages` (§4): the client leaves them out there. */
  appGuids?: readonly string[] | null;
  spaceGuids?: readonly string[] | null;
  organizationGuids?: readonly string[] | null;
}

export interface CfAppFilter extends CfResourceFilter {
  names?: readonly string[] | null;
  spaceGuids?: readonly string[] | null;
  organizationGuids?: readonly string[] | null;
}

/** Droplet lists take no timestamp filters (`droplets/_list_for_package`). */
export interface CfDropletFilter {
  guids?: readonly string[] | null;
  states?: readonly string[] | null;
  labelSelector?: string | null;
}

export interface CfOrder {
  /** `created_at`, `updated_at` (and for apps `name`, `state`). */
  field: string;
  descending: boolean;
}

/**
 * A comma-delimited list filter (§4). The whole value is percent-encoded once on the way out, so a value's own
 * comma (or `%`) is encoded here first: CF splits on the decoded commas, then unescapes each item.
 */
function commaList(values: readonly string[]): string {
  return values.map((v) => v.replace(/%/g, '%25').replace(/,/g, '%2C')).join(',');
}

function listParam(name: string, values: readonly string[] | null | undefined): Params {
  return values ? [[name, commaList(values)]] : [];
}

/** CF timestamps have second precision with `Z` (§1); finer input is truncated to the second. */
export function cfTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function rangeParams(name: string, range: CfTimeRange | null | undefined): Params {
  if (!range) return [];
  return (['gt', 'gte', 'lt', 'lte'] as const).flatMap((op): Params => {
    const value = range[op];
    return value ? [[`${name}[${op}]`, cfTimestamp(value)]] : [];
  });
}

function resourceParams(filter: CfResourceFilter): Params {
  return [
    ...listParam('guids', filter.guids),
    ...(filter.labelSelector ? ([['label_selector', filter.labelSelector]] as Params) : []),
    ...rangeParams('created_ats', filter.createdAt),
    ...rangeParams('updated_ats', filter.updatedAt),
  ];
}

export function packageListParams(filter: CfPackageFilter, nestedInApp: boolean): Params {
  return [
    ...resourceParams(filter),
    ...listParam('types', filter.types),
    ...listParam('states', filter.states),
    ...(nestedInApp
      ? []
      : [
          ...listParam('app_guids', filter.appGuids),
          ...listParam('space_guids', filter.spaceGuids),
          ...listParam('organization_guids', filter.organizationGuids),
        ]),
  ];
}

export function appListParams(filter: CfAppFilter): Params {
  return [
    ...resourceParams(filter),
    ...listParam('names', filter.names),
    ...listParam('space_guids', filter.spaceGuids),
    ...listParam('organization_guids', filter.organizationGuids),
  ];
}

export function dropletListParams(filter: CfDropletFilter): Params {
  return [
    ...listParam('guids', filter.guids),
    ...listParam('states', filter.states),
    ...(filter.labelSelector ? ([['label_selector', filter.labelSelector]] as Params) : []),
  ];
}

export function orderParams(order: CfOrder | null | undefined): Params {
  return order ? [['order_by', `${order.descending ? '-' : ''}${order.field}`]] : [];
}

function metadataBody(changes: CfMetadataChanges | null | undefined): Record<string, unknown> {
  if (!changes) return {};
  const metadata: Record<string, unknown> = {};
  if (changes.labels) metadata.labels = changes.labels;
  if (changes.annotations) metadata.annotations = changes.annotations;
  return Object.keys(metadata).length > 0 ? { metadata } : {};
}

/** `POST /v3/packages` (§4 "Create"): `relationships.app` names the app; docker data is `{image, username, password}`. */
export function packageCreateBody(input: CfPackageCreate): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: input.type,
    relationships: { app: { data: { guid: input.appGuid } } },
  };
  if (input.type === 'docker') {
    const data: Record<string, string> = { image: input.image };
    if (isSet(input.username)) data.username = input.username;
    if (isSet(input.password)) data.password = input.password;
    body.data = data;
  }
  return { ...body, ...metadataBody(input.metadata) };
}

/**
 * The early-v3 `POST /v3/apps/:guid/packages` body, exactly as seeds 000/001 give it: the app is in the path, and
 * docker data is `{image, credentials: {user, password, email, login_server}, store_image}`. `credentials` is sent
 * when any of its fields is given, `store_image` when given (CF's default is false). That API predates metadata.
 */
export function legacyPackageCreateBody(input: CfPackageCreate): Record<string, unknown> {
  if (input.type === 'bits') return { type: 'bits' };
  const credentials: Record<string, string> = {};
  if (isSet(input.username)) credentials.user = input.username;
  if (isSet(input.password)) credentials.password = input.password;
  if (isSet(input.email)) credentials.email = input.email;
  if (isSet(input.loginServer)) credentials.login_server = input.loginServer;
  const data: Record<string, unknown> = { image: input.image };
  if (Object.keys(credentials).length > 0) data.credentials = credentials;
  if (isSet(input.storeImage)) data.store_image = input.storeImage;
  return { type: 'docker', data };
}

function isSet<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/** `PATCH /v3/packages/:guid` (§4 "Update"): `username`/`password` are top-level, not under `data`. */
export function packageUpdateBody(input: CfPackageUpdate): Record<string, unknown> {
  const body: Record<string, unknown> = metadataBody(input.metadata);
  if (isSet(input.username)) body.username = input.username;
  if (isSet(input.password)) body.password = input.password;
  return body;
}

/** The `resources` form field: a JSON string holding the array (§4 "Upload"). */
export function resourcesField(resources: readonly CfResourceMatch[]): string {
  return JSON.stringify(
    resources.map((r) => ({
      path: r.path,
      size_in_bytes: r.sizeInBytes,
      checksum: { value: r.sha1 },
      ...(r.mode ? { mode: r.mode } : {}),
    })),
  );
}
