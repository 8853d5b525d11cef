/**
 * Arguments checked before any upstream request, with BAD_USER_INPUT errors that say what is wrong. Ids are the
 * upstream's to judge (docs/upstream-notes.md "Ids are opaque"): the gateway refuses only an id it cannot send
 * safely, and an id the upstream does not know comes back as the upstream's own NOT_FOUND (or null on a by-id read).
 * Docker Cloud repository names and registry hosts go into the path verbatim (docker-cloud-repository.md §2), so
 * they keep their stricter checks below.
 */
import { parseImageReference } from '../crossPlatform/imageReference.js';
import { badUserInput } from '../errors.js';
import type { PageRequest } from '../upstreams/shared/page.js';
import { isDockerCloudNamespace } from '../upstreams/dockercloud/index.js';

/**
 * Longest id the gateway sends. Cycle's ids are 24 characters and CF's guids 36, but Cloud Controller stores a guid
 * in a 255-character column and the early-v3 docs show guids such as `guid-d8b8…` (seed 000): 255 admits any id
 * either upstream can issue and keeps a hostile one from growing URLs and cache keys.
 */
export const MAX_ID_LENGTH = 255;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Why an id cannot be sent as one encoded path segment, or null when it can. */
function idProblem(id: string): string | null {
  if (id === '') return 'is empty';
  if (id.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
  if (CONTROL_CHARACTER.test(id)) return 'contains a control character';
  // Encoded, `.` and `..` stay themselves, and URL resolution would read them as the parent path.
  if (id === '.' || id === '..') return 'is `.` or `..`, which a URL path cannot carry as a segment';
  return null;
}

/** Whether an id can be sent to Cycle (or as any one path segment): see `upstreamId`. */
export function isSendableId(id: string): boolean {
  return idProblem(id) === null;
}

/**
 * A Cloud Foundry guid can also travel in a comma-separated `guids=` filter (cf-v3-packages.md §4), which the
 * gateway uses to batch by-guid reads: a comma there would split one guid into two.
 */
export function isSendableCfGuid(id: string): boolean {
  return isSendableId(id) && !id.includes(',');
}

/** An upstream id, sent path-encoded: refused only when it cannot be sent (`idProblem`). */
export function upstreamId(id: string, argument: string): string {
  const problem = idProblem(id);
  if (problem) throw badUserInput(`\`${argument}\` ${problem}`, { argument });
  return id;
}

/** A Cycle id (cycle.md §1 calls them 24-hex; anything sendable is passed on, Cycle answers 404 for the rest). */
export function cycleId(id: string, argument = 'id'): string {
  return upstreamId(id, argument);
}

export function cycleIds(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => cycleId(id, argument));
}

/** A Cloud Foundry guid, kept as given (CC compares guids exactly): sendable, and no comma (`isSendableCfGuid`). */
export function cfGuid(id: string, argument = 'guid'): string {
  upstreamId(id, argument);
  if (id.includes(','))
    throw badUserInput(`\`${argument}\` contains a comma, which Cloud Foundry's guid filters read as a separator`, {
      argument,
    });
  return id;
}

export function cfGuids(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => cfGuid(id, argument));
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
