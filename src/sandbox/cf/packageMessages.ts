/**
 * Request bodies for creating and updating packages, validated the way CC's messages validate them
 * (`PackageCreateMessage`, `PackageUpdateMessage`; cf-v3-packages.md §4). Every problem found is reported at once:
 * 422 `CF-UnprocessableEntity` with the messages joined by `', '` (`unprocessable!(message.errors.full_messages)`).
 */
import { unprocessable } from './errors.js';
import { validateMetadata } from './metadata.js';
import type { EarlyV3DockerData } from './models.js';

export interface DockerData {
  image: string;
  username: string | null;
  password: string | null;
  /** Only from the early-v3 create (`readEarlyV3PackageCreate`). */
  earlyV3?: EarlyV3DockerData;
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

/** `POST /v3/packages` (§4): the app from `relationships.app`, docker data `{image, username, password}`. */
export function readPackageCreate(body: Record<string, unknown>): PackageCreateMessage {
  const errors: string[] = [];
  const extra = unknownFields(body, ['type', 'data', 'relationships', 'metadata']);
  if (extra) errors.push(extra);
  const appGuid = readAppRelationship(body.relationships, errors);
  const type = readType(body, errors);
  const docker = type === 'docker' ? readDockerData(body.data, errors) : null;
  errors.push(...validateMetadata(body.metadata));
  if (errors.length > 0) throw unprocessable(errors);
  return { type: type!, appGuid: appGuid!, docker, metadata: body.metadata };
}

/**
 * The early-v3 `POST /v3/apps/:guid/packages` body, as seeds 000/001 give it: the app from the path, no
 * `relationships` and no `metadata` (that API predates both), docker data `{image, credentials: {user, password,
 * email, login_server}, store_image}`. (I) Messages follow the current validators' wording.
 */
export function readEarlyV3PackageCreate(body: Record<string, unknown>, appGuid: string): PackageCreateMessage {
  const errors: string[] = [];
  const extra = unknownFields(body, ['type', 'data']);
  if (extra) errors.push(extra);
  const type = readType(body, errors);
  const docker = type === 'docker' ? readEarlyV3DockerData(body.data, errors) : null;
  if (errors.length > 0) throw unprocessable(errors);
  return { type: type!, appGuid, docker, metadata: undefined };
}

/** `type` is `bits` or `docker`; bits packages take no data, or an empty object. */
function readType(body: Record<string, unknown>, errors: string[]): 'bits' | 'docker' | undefined {
  const type = body.type;
  if (type !== 'bits' && type !== 'docker') {
    errors.push("Type must be one of 'bits, docker'");
    return undefined;
  }
  if (
    type === 'bits' &&
    body.data !== undefined &&
    !(isPlainObject(body.data) && Object.keys(body.data).length === 0)
  ) {
    errors.push('Data must be empty if provided for bits packages');
  }
  return type;
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
  const fields = dockerFields(data, ['image', 'username', 'password'], errors);
  if (!fields) return null;
  const before = errors.length;
  const username = optionalString(fields, 'username', 'Data Username', errors);
  const password = optionalString(fields, 'password', 'Data Password', errors);
  if (errors.length > before) return null;
  return { image: fields.image as string, username, password };
}

/** Seed 000's `data`: `image` required, `credentials` with user, password, email, login server, `store_image`. */
function readEarlyV3DockerData(data: unknown, errors: string[]): DockerData | null {
  const fields = dockerFields(data, ['image', 'credentials', 'store_image'], errors);
  if (!fields) return null;
  const before = errors.length;
  const credentials = fields.credentials ?? {};
  if (!isPlainObject(credentials)) {
    errors.push('Data Credentials must be an object');
    return null;
  }
  const extra = unknownFields(credentials, ['user', 'password', 'email', 'login_server']);
  if (extra) errors.push(`Data Credentials ${extra}`);
  const username = optionalString(credentials, 'user', 'Data Credentials User', errors);
  const password = optionalString(credentials, 'password', 'Data Credentials Password', errors);
  const email = optionalString(credentials, 'email', 'Data Credentials Email', errors);
  const loginServer = optionalString(credentials, 'login_server', 'Data Credentials Login server', errors);
  const storeImage = fields.store_image ?? false;
  if (typeof storeImage !== 'boolean') errors.push('Data Store image must be a boolean');
  if (errors.length > before) return null;
  return {
    image: fields.image as string,
    username,
    password,
    earlyV3: { email, loginServer, storeImage: storeImage as boolean },
  };
}

/** `data` as an object with only `allowed` keys and a string `image`; null (with errors) otherwise. */
function dockerFields(data: unknown, allowed: readonly string[], errors: string[]): Record<string, unknown> | null {
  if (data !== undefined && !isPlainObject(data)) {
    errors.push('Data must be an object');
    return null;
  }
  const fields = data ?? {};
  const before = errors.length;
  const extra = unknownFields(fields, allowed);
  if (extra) errors.push(`Data ${extra}`);
  if (fields.image === undefined || fields.image === null || fields.image === '') errors.push('Data Image required');
  else if (typeof fields.image !== 'string') errors.push('Data Image must be a string');
  return errors.length > before ? null : fields;
}

function optionalString(fields: Record<string, unknown>, key: string, label: string, errors: string[]): string | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push(`${label} must be a string`);
    return null;
  }
  return value;
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
