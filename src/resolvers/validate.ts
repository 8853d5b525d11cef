/**
 * Arguments checked before any upstream request, with BAD_USER_INPUT errors that say what is wrong. What each
 * upstream accepts as an id comes from its contract (cycle.md §1: 24 hex; cf-v3-packages.md §1: a UUID;
 * docker-cloud-repository.md §2: repository names and registry hosts go into the path verbatim).
 */
import { parseImageReference } from '../crossPlatform/imageReference.js';
import { badUserInput } from '../errors.js';
import type { PageRequest } from '../upstreams/shared/page.js';
import { isDockerCloudNamespace } from '../upstreams/dockercloud/index.js';

const CYCLE_ID = /^[0-9a-f]{24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCycleId(id: string): boolean {
  return CYCLE_ID.test(id);
}

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export function cycleId(id: string, argument = 'id'): string {
  if (!isCycleId(id))
    throw badUserInput(`\`${argument}\` must be a Cycle id (24 hexadecimal characters)`, { argument });
  return id;
}

export function cycleIds(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => cycleId(id, argument));
}

export function uuid(id: string, argument = 'guid'): string {
  if (!isUuid(id)) throw badUserInput(`\`${argument}\` must be a UUID`, { argument });
  return id.toLowerCase();
}

export function uuids(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => uuid(id, argument));
}

/** Longest Docker repository name (distribution/reference `NameTotalLengthMax`). */
const MAX_REPOSITORY_NAME = 255;
/** Characters that would end the path (`?`, `#`), encode (`%`), or be re-read by a proxy (`\`, whitespace, controls). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const PATH_BREAKING = /[?#%\\\s\u0000-\u001f\u007f]/;

/**
 * A Docker Cloud repository name, which goes into the path unencoded (`…/repository/quay.io/acme/api/`, §2). It
 * must stay inside that path: no `?` or `#`, no percent-encoding (so no encoded slash or dot), no control characters
 * or whitespace, no empty, `.` or `..` segment. Anything else is left for Docker Cloud to judge.
 */
export function repositoryName(name: string, argument = 'name'): string {
  const problem =
    name === ''
      ? 'is empty'
      : name.length > MAX_REPOSITORY_NAME
        ? `is longer than ${MAX_REPOSITORY_NAME} characters`
        : PATH_BREAKING.test(name)
          ? 'contains a character that cannot appear in a repository name (?, #, %, \\, whitespace or a control character)'
          : name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
            ? 'has an empty, `.` or `..` segment'
            : null;
  if (problem) throw badUserInput(`\`${argument}\` ${problem}`, { argument });
  return name;
}

const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?$/;

/** A registry host (an FQDN, optionally with a port: §3 Registry `host`), as it goes into `…/registry/<host>/`. */
export function registryHost(host: string, argument = 'host'): string {
  if (!HOST.test(host) || host.length > 253)
    throw badUserInput(`\`${argument}\` must be a registry host name such as quay.io`, { argument });
  return host.toLowerCase();
}

/** An optional Docker Cloud namespace (a user or organisation name, §1): one path segment. */
export function namespace(value: string | null | undefined, argument = 'namespace'): string | null {
  if (value === null || value === undefined) return null;
  if (!isDockerCloudNamespace(value)) {
    throw badUserInput(`\`${argument}\` must be a Docker Cloud user or organisation name`, { argument });
  }
  return value;
}

/**
 * A `docker pull` image reference, parsed with the distribution reference grammar (crossPlatform/imageReference.ts):
 * what no registry can serve is refused here rather than stored and read back as `image: null`.
 */
export function imageReference(reference: string, argument = 'image'): string {
  if (parseImageReference(reference) === null)
    throw badUserInput(
      `\`${argument}\` is not an image reference (expected [registry/]path[:tag][@digest], e.g. quay.io/acme/api:1.4.2)`,
      { argument },
    );
  return reference;
}

/** `first`/`after` of a connection: `first` from 0 to `max`. */
export function pageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  max: number,
): PageRequest {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badUserInput(`\`first\` must be from 0 to ${max}, got ${size}`, { argument: 'first', max });
  }
  return { first: size, after: after ?? null };
}

/** Exactly one member of a "one of" input object is set. */
export function exactlyOne<T extends object>(input: T, what: string): keyof T {
  const set = (Object.keys(input) as (keyof T)[]).filter(
    (key) => input[key] !== undefined && input[key] !== null && input[key] !== false,
  );
  if (set.length !== 1) {
    throw badUserInput(
      `${what}: set exactly one of ${Object.keys(input).join(', ') || 'its fields'}; got ${set.length === 0 ? 'none' : set.join(', ')}`,
    );
  }
  return set[0]!;
}

/** A mutation's `awaitMs`, bounded by the gateway's maximum. */
export function awaitMs(value: number | null | undefined, max: number): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0)
    throw badUserInput('`awaitMs` must be a non-negative integer', { argument: 'awaitMs' });
  return Math.min(value, max);
}
