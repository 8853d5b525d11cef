/**
 * GraphQL inputs of the Cloud Foundry fields → the CF client's filters, orders and bodies. Guids are checked (UUIDs,
 * cf-v3-packages.md §1) before any request; label selectors are left for CF to judge (400 → BAD_USER_INPUT).
 */
import type {
  AppFilter,
  AppOrder,
  AppPackageFilter,
  CfMetadataChangesInput,
  CfMetadataInput,
  CfTimestampOrder,
  CreatePackageInput,
  DateTimeRange,
  DropletFilter,
  PackageFilter,
  UpdatePackageInput,
} from '../../__generated__/resolvers-types.js';
import { badUserInput } from '../../errors.js';
import type {
  CfAppFilter,
  CfDropletFilter,
  CfMetadataChanges,
  CfOrder,
  CfPackageCreate,
  CfPackageFilter,
  CfPackageUpdate,
  CfTimeRange,
} from '../../upstreams/cf/index.js';
import { imageReference, uuid, uuids } from '../validate.js';

type Maybe<T> = T | null | undefined;

function optionalUuids(ids: Maybe<readonly string[]>, argument: string): string[] | null {
  return ids ? uuids(ids, argument) : null;
}

function timeRange(range: Maybe<DateTimeRange>): CfTimeRange | null {
  return range ? { gt: range.gt, gte: range.gte, lt: range.lt, lte: range.lte } : null;
}

export function packageFilter(filter: Maybe<PackageFilter>): CfPackageFilter {
  if (!filter) return {};
  return {
    ...appPackageFilter(filter),
    appGuids: optionalUuids(filter.appGuids, 'filter.appGuids'),
    spaceGuids: optionalUuids(filter.spaceGuids, 'filter.spaceGuids'),
    organizationGuids: optionalUuids(filter.organizationGuids, 'filter.organizationGuids'),
  };
}

/** The filters `GET /v3/apps/:guid/packages` accepts (§4: no app, space or organization guids). */
export function appPackageFilter(filter: Maybe<AppPackageFilter>): CfPackageFilter {
  if (!filter) return {};
  return {
    guids: optionalUuids(filter.guids, 'filter.guids'),
    types: filter.types ?? null,
    states: filter.states ?? null,
    labelSelector: filter.labelSelector,
    createdAt: timeRange(filter.createdAt),
    updatedAt: timeRange(filter.updatedAt),
  };
}

export function appFilter(filter: Maybe<AppFilter>): CfAppFilter {
  if (!filter) return {};
  return {
    guids: optionalUuids(filter.guids, 'filter.guids'),
    names: filter.names ?? null,
    spaceGuids: optionalUuids(filter.spaceGuids, 'filter.spaceGuids'),
    organizationGuids: optionalUuids(filter.organizationGuids, 'filter.organizationGuids'),
    labelSelector: filter.labelSelector,
    createdAt: timeRange(filter.createdAt),
    updatedAt: timeRange(filter.updatedAt),
  };
}

export function dropletFilter(filter: Maybe<DropletFilter>): CfDropletFilter {
  if (!filter) return {};
  return {
    guids: optionalUuids(filter.guids, 'filter.guids'),
    states: filter.states ?? null,
    labelSelector: filter.labelSelector,
  };
}

export function cfOrder(order: Maybe<CfTimestampOrder | AppOrder>): CfOrder | null {
  return order ? { field: order.field, descending: order.direction === 'DESC' } : null;
}

function toMap(
  entries: Maybe<readonly { key: string; value?: string | null }[]>,
): Record<string, string | null> | undefined {
  return entries ? Object.fromEntries(entries.map((entry) => [entry.key, entry.value ?? null])) : undefined;
}

function metadataChanges(input: Maybe<CfMetadataChangesInput | CfMetadataInput>): CfMetadataChanges | null {
  if (!input) return null;
  const changes: CfMetadataChanges = {};
  const labels = toMap(input.labels);
  const annotations = toMap(input.annotations);
  if (labels) changes.labels = labels;
  if (annotations) changes.annotations = annotations;
  return changes;
}

/** Where createPackage sends its request (upstreams/cf `CfCreateRoute`). */
type CreateRoute = 'packages' | 'app-packages';

const LEGACY_ONLY_DOCKER_FIELDS = ['email', 'loginServer', 'storeImage'] as const;

/**
 * DOCKER needs `docker`, BITS refuses it (§4 "Create": bits packages take no data). A password needs its user (CF
 * keeps a password only with a username, §3). `email`, `loginServer` and `storeImage` exist only on the early-v3
 * route (seeds 000/001), and metadata only on the current one.
 */
export function packageCreate(input: CreatePackageInput, route: CreateRoute): CfPackageCreate {
  const appGuid = uuid(input.appGuid, 'input.appGuid');
  if (route === 'app-packages' && input.metadata)
    throw badUserInput(
      '`input.metadata` cannot be set through the early-v3 POST /v3/apps/:guid/packages (CF_LEGACY_APP_PACKAGES_ROUTE): that API has no metadata',
      { argument: 'input.metadata' },
    );
  const metadata = metadataChanges(input.metadata);
  if (input.type === 'bits') {
    if (input.docker) throw badUserInput('`input.docker` is for DOCKER packages only', { argument: 'input.docker' });
    return { type: 'bits', appGuid, metadata };
  }
  const docker = input.docker;
  if (!docker) throw badUserInput('A DOCKER package needs `input.docker` with its image', { argument: 'input.docker' });
  const image = imageReference(docker.image, 'input.docker.image');
  if (isGiven(docker.password) && !isGiven(docker.username))
    throw badUserInput(
      '`input.docker.password` needs `input.docker.username`: a registry password goes with its user',
      {
        argument: 'input.docker.username',
      },
    );
  if (route === 'packages') {
    const legacyOnly = LEGACY_ONLY_DOCKER_FIELDS.find((field) => isGiven(docker[field]));
    if (legacyOnly)
      throw badUserInput(
        `\`input.docker.${legacyOnly}\` is accepted only by the early-v3 POST /v3/apps/:guid/packages (CF_LEGACY_APP_PACKAGES_ROUTE); POST /v3/packages takes image, username and password`,
        { argument: `input.docker.${legacyOnly}` },
      );
  }
  return {
    type: 'docker',
    appGuid,
    image,
    username: docker.username,
    password: docker.password,
    email: docker.email,
    loginServer: docker.loginServer,
    storeImage: docker.storeImage,
    metadata,
  };
}

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

export function packageUpdate(input: UpdatePackageInput): CfPackageUpdate {
  return { metadata: metadataChanges(input.metadata), username: input.username, password: input.password };
}
