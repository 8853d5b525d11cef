/**
 * Request bodies for creating and updating packages, validated the way CC's messages validate them
 * (`PackageCreateMessage`, `PackageUpdateMessage`; cf-v3-packages.md §4). Every problem found is reported at once:
 * 422 `CF-UnprocessableEntity` with the messages joined by `', '` (`unprocessable!(message.errors.full_messages)`).
 */
import { unprocessable } from './errors.js';
import { validateMetadata } from './metadata.js';

export interface DockerData {
  image: string;
  username: string | null;
  password: string | null;
}

export interface PackageCreateMessage {
  type: 'bits' | 'docker';
  appGuid: string;
  docker: DockerData | null;
  metadata: unknown;
}

export interface PackageUpdateMessage {
  metadata: unknown;
  /** Present only when the body names `username` / `password` (top-level, not under `data`). */
  credentials: { username?: string; password?: string } | null;
}

const RELATIONSHIP_SHAPE = 'must be structured like this: "app: {"data": {"guid": "valid-guid"}}"';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(body: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  return extra.length > 0 ? `Unknown field(s): '${extra.join("', '")}'` : null;
}

/**
 * `POST /v3/packages` reads the app from `relationships.app`; the early-v3 `POST /v3/apps/:guid/packages` takes it
 * from the path, and its message has no `relationships` key (so sending one is an unknown field there).
 */
export function readPackageCreate(body: Record<string, unknown>, appGuidFromPath?: string): PackageCreateMessage {
  const errors: string[] = [];
  const allowed =
    appGuidFromPath === undefined ? ['type', 'data', 'relationships', 'metadata'] : ['type', 'data', 'metadata'];
  const extra = unknownFields(body, allowed);
  if (extra) errors.push(extra);

  const appGuid = appGuidFromPath ?? readAppRelationship(body.relationships, errors);

  const type = body.type;
  if (type !== 'bits' && type !== 'docker') errors.push("Type must be one of 'bits, docker'");
  const docker = type === 'docker' ? readDockerData(body.data, errors) : null;
  if (
    type === 'bits' &&
    body.data !== undefined &&
    !(isPlainObject(body.data) && Object.keys(body.data).length === 0)
  ) {
    errors.push('Data must be empty if provided for bits packages');
  }
  errors.push(...validateMetadata(body.metadata));

  if (errors.length > 0) throw unprocessable(errors);
  return { type: type as 'bits' | 'docker', appGuid: appGuid!, docker, metadata: body.metadata };
}

/** `RelationshipValidator` + `ToOneRelationshipValidator` for `relationships.app`. */
function readAppRelationship(relationships: unknown, errors: string[]): string | undefined {
  if (!isPlainObject(relationships)) {
    errors.push("Relationships 'relationships' is not an object");
    return undefined;
  }
  const extra = unknownFields(relationships, ['app']);
  if (extra) errors.push(`Relationships ${extra}`);
  const app = relationships.app;
  if (app === undefined || app === null) {
    errors.push("Relationships App can't be blank");
    return undefined;
  }
  const data = isPlainObject(app) && Object.keys(app).length === 1 ? app.data : undefined;
  if (!isPlainObject(data) || Object.keys(data).length !== 1 || !('guid' in data)) {
    errors.push(`Relationships App ${RELATIONSHIP_SHAPE}`);
    return undefined;
  }
  const guid = data.guid;
  if (typeof guid !== 'string') {
    errors.push('Relationships App Guid must be a string');
    return undefined;
  }
  if (guid.length < 1 || guid.length > 200) {
    errors.push('Relationships App Guid must be between 1 and 200 characters');
    return undefined;
  }
  return guid;
}

/** `DockerDataValidator`: `data.image` required; only `image`, `username`, `password`. */
function readDockerData(data: unknown, errors: string[]): DockerData | null {
  if (data !== undefined && !isPlainObject(data)) {
    errors.push('Data must be an object');
    return null;
  }
  const fields = data ?? {};
  const before = errors.length;
  const extra = unknownFields(fields, ['image', 'username', 'password']);
  if (extra) errors.push(`Data ${extra}`);
  if (fields.image === undefined || fields.image === null || fields.image === '') errors.push('Data Image required');
  else if (typeof fields.image !== 'string') errors.push('Data Image must be a string');
  for (const name of ['username', 'password'] as const) {
    const value = fields[name];
    if (value !== undefined && value !== null && typeof value !== 'string')
      errors.push(`Data ${name === 'username' ? 'Username' : 'Password'} must be a string`);
  }
  if (errors.length > before) return null;
  return {
    image: fields.image as string,
    username: (fields.username as string | undefined) ?? null,
    password: (fields.password as string | undefined) ?? null,
  };
}

/** `PackageUpdateMessage`: `metadata`, and top-level `username` / `password` (docker packages only). */
export function readPackageUpdate(body: Record<string, unknown>): PackageUpdateMessage {
  const errors: string[] = [];
  const extra = unknownFields(body, ['metadata', 'username', 'password']);
  if (extra) errors.push(extra);
  const credentials: { username?: string; password?: string } = {};
  for (const name of ['username', 'password'] as const) {
    if (!(name in body)) continue;
    if (typeof body[name] !== 'string')
      errors.push(`${name === 'username' ? 'Username' : 'Password'} must be a string`);
    else credentials[name] = body[name];
  }
  errors.push(...validateMetadata(body.metadata));
  if (errors.length > 0) throw unprocessable(errors);
  return { metadata: body.metadata, credentials: 'username' in body || 'password' in body ? credentials : null };
}

/** The copy body (`POST /v3/packages?source_guid=`): only `relationships.app`, the destination app. */
export function readPackageCopy(body: Record<string, unknown>): string {
  const errors: string[] = [];
  const extra = unknownFields(body, ['relationships']);
  if (extra) errors.push(extra);
  const appGuid = readAppRelationship(body.relationships, errors);
  if (errors.length > 0) throw unprocessable(errors);
  return appGuid!;
}
