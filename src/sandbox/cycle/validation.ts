/**
 * Request-body checks for the write endpoints, answering as Cycle does: 422 `422.missing-argument` for a required
 * field that is absent, 422 `422.invalid-argument` for a present field of the wrong shape, each with `source`, the
 * JSON pointer of the offending field (cycle.md §7 `Error.source`). Origins are checked per type against the spec's
 * required fields (cycle.md §5 "ImageOrigin").
 */
import { CycleError } from './errors.js';
import { SECRET_MARKER } from './seed/context.js';
import { cycleTime, newObjectId } from './ids.js';
import type { Acl, ImageOrigin } from './wire.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function missing(pointer: string, what = pointer.split('/').pop()): CycleError {
  return new CycleError('422.missing-argument', `"${what}" is required.`, pointer);
}

export function invalid(pointer: string, expectation: string): CycleError {
  return new CycleError('422.invalid-argument', `"${pointer.split('/').pop()}" ${expectation}.`, pointer);
}

/** A required string field (non-empty). */
export function requireString(body: JsonObject, key: string, pointer: string): string {
  const value = body[key];
  if (value === undefined || value === null) throw missing(`${pointer}/${key}`);
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`${pointer}/${key}`, 'must be a non-empty string');
  return value;
}

/** An optional string field; `undefined` when absent. */
export function optionalString(
  body: JsonObject,
  key: string,
  pointer: string,
  nullable = false,
): string | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'string')
    throw invalid(`${pointer}/${key}`, nullable ? 'must be a string or null' : 'must be a string');
  return value;
}

function requireObject(body: JsonObject, key: string, pointer: string): JsonObject {
  const value = body[key];
  if (value === undefined || value === null) throw missing(`${pointer}/${key}`);
  if (!isObject(value)) throw invalid(`${pointer}/${key}`, 'must be an object');
  return value;
}

function checkStrings(details: JsonObject, keys: readonly string[], pointer: string): void {
  for (const key of keys) optionalString(details, key, pointer);
}

const REGISTRY_AUTH_TYPES = ['user', 'provider', 'webhook'];

function checkRegistryAuth(auth: unknown, pointer: string): void {
  if (auth === undefined || auth === null) return;
  if (!isObject(auth)) throw invalid(pointer, 'must be an object or null');
  const type = requireString(auth, 'type', pointer);
  if (!REGISTRY_AUTH_TYPES.includes(type))
    throw invalid(`${pointer}/type`, `must be one of ${REGISTRY_AUTH_TYPES.join(', ')}`);
  const details = requireObject(auth, 'details', pointer);
  if (type === 'user') checkStrings(details, ['username', 'token'], `${pointer}/details`);
  if (type === 'webhook') requireString(details, 'url', `${pointer}/details`);
  if (type === 'provider') {
    if (requireString(details, 'flavor', `${pointer}/details`) !== 'ecr')
      throw invalid(`${pointer}/details/flavor`, 'must be "ecr"');
    const credentials = requireObject(details, 'credentials', `${pointer}/details`);
    checkStrings(
      credentials,
      ['region', 'namespace', 'api_key', 'secret', 'subscription_id', 'client_id', 'config'],
      `${pointer}/details/credentials`,
    );
  }
}

function checkRepo(repo: unknown, pointer: string): void {
  if (repo === undefined || repo === null) return;
  if (!isObject(repo)) throw invalid(pointer, 'must be an object or null');
  requireString(repo, 'url', pointer);
  optionalString(repo, 'branch', pointer);
  const auth = repo.auth;
  if (auth !== undefined && auth !== null) {
    if (!isObject(auth)) throw invalid(`${pointer}/auth`, 'must be an object or null');
    const type = requireString(auth, 'type', `${pointer}/auth`);
    const credentials = requireObject(auth, 'credentials', `${pointer}/auth`);
    const required =
      type === 'http' ? ['username', 'password'] : type === 'ssh' ? ['username', 'passphrase', 'private_key'] : null;
    if (required === null) throw invalid(`${pointer}/auth/type`, 'must be "http" or "ssh"');
    for (const key of required) requireString(credentials, key, `${pointer}/auth/credentials`);
  }
}

/**
 * Validates an origin and returns it as stored. A `cycle-upload` origin may come without details: the platform
 * issues the upload token (cycle.md §5 CycleUploadOrigin: "The authentication token is generated...").
 * `cycle-source` "will never be embedded in an image source", so it is refused here.
 */
export function validateOrigin(value: unknown, pointer: string): ImageOrigin {
  if (value === undefined || value === null) throw missing(pointer);
  if (!isObject(value)) throw invalid(pointer, 'must be an object');
  const type = requireString(value, 'type', pointer);
  const at = `${pointer}/details`;
  switch (type) {
    case 'none':
      return { type: 'none' };
    case 'cycle-upload': {
      const details = isObject(value.details) ? value.details : {};
      const now = Date.now();
      return {
        type: 'cycle-upload',
        details: {
          expires: optionalString(details, 'expires', at) ?? cycleTime(now + 24 * 3_600_000),
          token: optionalString(details, 'token', at) ?? `${SECRET_MARKER}${newObjectId(now)}`,
        },
      };
    }
    case 'docker-hub': {
      const details = requireObject(value, 'details', pointer);
      requireString(details, 'target', at);
      checkStrings(details, ['username', 'token'], at);
      return structuredClone(value) as unknown as ImageOrigin;
    }
    case 'docker-registry':
    case 'oci-registry': {
      const details = requireObject(value, 'details', pointer);
      requireString(details, 'target', at);
      requireString(details, 'url', at);
      if (type === 'docker-registry') checkStrings(details, ['username', 'token', 'password'], at);
      else checkRegistryAuth(details.auth, `${at}/auth`);
      return structuredClone(value) as unknown as ImageOrigin;
    }
    case 'docker-file': {
      const details = requireObject(value, 'details', pointer);
      checkRepo(details.repo, `${at}/repo`);
      checkStrings(details, ['context_dir', 'build_file'], at);
      // (I) Cycle needs something to build from: a repository or a tarball URL.
      if ((details.repo === undefined || details.repo === null) && typeof details.targz_url !== 'string')
        throw missing(`${at}/repo`);
      return structuredClone(value) as unknown as ImageOrigin;
    }
    case 'cycle-source':
      throw invalid(`${pointer}/type`, 'cannot be "cycle-source" on an image source (that origin is for stacks only)');
    default:
      throw invalid(
        `${pointer}/type`,
        'must be one of docker-hub, docker-registry, oci-registry, docker-file, cycle-upload, none',
      );
  }
}

/** `ACL | null` (cycle.md §5 ACL): `{roles: {<roleId>: {view, modify, manage}}}`. */
export function validateAcl(value: unknown, pointer: string): Acl | null {
  if (value === null) return null;
  if (!isObject(value)) throw invalid(pointer, 'must be an ACL object or null');
  const roles = value.roles;
  if (roles === undefined) return {};
  if (!isObject(roles)) throw invalid(`${pointer}/roles`, 'must be an object keyed by role id');
  const out: NonNullable<Acl['roles']> = {};
  for (const [roleId, entry] of Object.entries(roles)) {
    const at = `${pointer}/roles/${roleId}`;
    if (!isObject(entry)) throw invalid(at, 'must be an object {view, modify, manage}');
    for (const key of ['view', 'modify', 'manage'] as const) {
      if (entry[key] === undefined) throw missing(`${at}/${key}`);
      if (typeof entry[key] !== 'boolean') throw invalid(`${at}/${key}`, 'must be a boolean');
    }
    out[roleId] = { view: entry.view as boolean, modify: entry.modify as boolean, manage: entry.manage as boolean };
  }
  return { roles: out };
}

/** `about: {description: string | null}` (description required inside). */
export function validateAbout(value: unknown, pointer: string): { description: string | null } {
  if (!isObject(value)) throw invalid(pointer, 'must be an object {description}');
  if (!('description' in value)) throw missing(`${pointer}/description`);
  return { description: optionalString(value, 'description', pointer, true) ?? null };
}
