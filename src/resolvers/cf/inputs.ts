/**
 * GraphQL inputs of the Cloud Foundry fields → the CF client's filters, orders and bodies. Guids are checked only
 * for being sendable (validate.ts: CF judges them) before any request; label selectors are left for CF to judge (400 → BAD_USER_INPUT).
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
import { GraphQLError } from 'graphql';
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
import { cfGuid, cfGuids, imageReference } from '../validate.js';

type Maybe<T> = T | null | undefined;

function optionalUuids(ids: Maybe<readonly string[]>, argument: string): string[] | null {
  return ids ? cfGuids(ids, argument) : null;
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

/** One refused part of an input: the argument path and why. */
interface Refusal {
  argument: string;
  reason: string;
}

/**
 * DOCKER needs `docker`, BITS refuses it (§4 "Create": bits packages take no data). A password needs its user (CF
 * keeps a password only with a username, §3). `email`, `loginServer` and `storeImage` exist only on the early-v3
 * route (seeds 000/001), and metadata only on the current one. Every refusal is collected, and one BAD_USER_INPUT
 * names them all (`extensions.arguments`; `argument` is the first), so a client fixes its input in one round.
 */
export function packageCreate(input: CreatePackageInput, route: CreateRoute): CfPackageCreate {
  const refusals: Refusal[] = [];
  const appGuid = collect(refusals, () => cfGuid(input.appGuid, 'input.appGuid'));
  if (route === 'app-packages' && input.metadata)
    refusals.push({
      argument: 'input.metadata',
      reason:
        'cannot be set through the early-v3 POST /v3/apps/:guid/packages (CF_LEGACY_APP_PACKAGES_ROUTE): that API has no metadata',
    });
  const metadata = metadataChanges(input.metadata);
  const docker = input.docker;
  if (input.type === 'bits' && docker)
    refusals.push({ argument: 'input.docker', reason: 'is for DOCKER packages only' });
  if (input.type === 'docker' && !docker)
    refusals.push({ argument: 'input.docker', reason: 'is needed by a DOCKER package, with its image' });
  const image = docker ? collect(refusals, () => imageReference(docker.image, 'input.docker.image')) : null;
  if (docker && isGiven(docker.password) && !isGiven(docker.username))
    refusals.push({
      argument: 'input.docker.username',
      reason: 'is needed with `input.docker.password`: a registry password goes with its user',
    });
  if (docker && route === 'packages')
    for (const field of LEGACY_ONLY_DOCKER_FIELDS.filter((name) => isGiven(docker[name])))
      refusals.push({
        argument: `input.docker.${field}`,
        reason:
          'is accepted only by the early-v3 POST /v3/apps/:guid/packages (CF_LEGACY_APP_PACKAGES_ROUTE); POST /v3/packages takes image, username and password',
      });
  if (refusals.length > 0) throw refused(refusals);
  if (input.type === 'bits') return { type: 'bits', appGuid: appGuid!, metadata };
  return {
    type: 'docker',
    appGuid: appGuid!,
    image: image!,
    username: docker!.username,
    password: docker!.password,
    email: docker!.email,
    loginServer: docker!.loginServer,
    storeImage: docker!.storeImage,
    metadata,
  };
}

/** The value of a check that throws BAD_USER_INPUT, or null with its refusal collected. */
function collect<T>(refusals: Refusal[], check: () => T): T | null {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const argument = String(error.extensions.argument);
    refusals.push({ argument, reason: error.message.replace(`\`${argument}\` `, '') });
    return null;
  }
}

function refused(refusals: readonly Refusal[]): GraphQLError {
  const message =
    refusals.length === 1
      ? `\`${refusals[0]!.argument}\` ${refusals[0]!.reason}`
      : `${refusals.length} fields of \`input\` are refused: ${refusals.map((r) => `\`${r.argument}\` ${r.reason}`).join('; ')}`;
  return badUserInput(message, { argument: refusals[0]!.argument, arguments: refusals.map((r) => r.argument) });
}

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

export function packageUpdate(input: UpdatePackageInput): CfPackageUpdate {
  return { metadata: metadataChanges(input.metadata), username: input.username, password: input.password };
}
