/**
 * External repositories (§2, docs `repository.md`): list, add, get, update credentials, remove, under
 * `/api/repo/v1/[ns/]repository/`. The name (with its slashes) is the path identifier.
 */
import { optionalString, readJsonObject } from './body.js';
import { DockerCloudError } from './errors.js';
import { parseRepositoryName, registryHostFromFilter, type RepositoryName } from './names.js';
import { lastValue, listEnvelope, parsePageRequest } from './paging.js';
import type { ApiCall } from './pipeline.js';
import type { RepositoryCredentials, RepositoryRecord } from './store.js';

/**
 * `GET …/repository/`: the documented filters are `name` (exact; no `__startswith` style lookup is documented) and
 * `registry` ("resource URI of the registry"; a bare host is accepted too). Other parameters are ignored, as
 * Tastypie ignores parameters that name no filterable field.
 */
export function listRepositories(call: ApiCall): void {
  const page = parsePageRequest(call.query);
  const name = lastValue(call.query, 'name');
  const registry = lastValue(call.query, 'registry');
  const registryHost = registry === undefined ? undefined : registryHostFromFilter(registry);
  let records = call.repositories.listable();
  if (name !== undefined || registryHost !== undefined) {
    records = records.filter(
      (r) => (name === undefined || r.name === name) && (registryHost === undefined || r.registryHost === registryHost),
    );
  }
  call.send(
    200,
    listEnvelope(
      records.map((r) => r.json),
      page,
      call.path,
      call.query,
    ),
  );
}

/**
 * `POST …/repository/` `{name, username?, password?}` → 201 + Repository (§2: status inferred; the go SDK
 * unmarshals a Repository). Tastypie adds a `Location` on 201.
 */
export async function createRepository(call: ApiCall): Promise<void> {
  const body = await readJsonObject(call.req);
  const rawName = optionalString(body, 'name');
  if (rawName === undefined || rawName === '') throw new DockerCloudError(400, 'name: This field is required.');
  const parsed = parseRepositoryName(rawName);
  if (!parsed)
    throw new DockerCloudError(
      400,
      `name: '${rawName}' is not a valid repository name (expected host/path, or user/repo on Docker Hub).`,
    );
  // Any registry host: repository.md adds repositories "on third party registries" and names no allowed list.
  const credentials = readCredentials(body);
  const created = call.repositories.add({
    name: parsed.name,
    registryHost: parsed.registryHost,
    inUse: false,
    credentials,
  });
  if (!created) throw new DockerCloudError(409, `Repository '${parsed.name}' has already been added.`);
  call.send(201, created.json, { location: created.json.resource_uri });
}

export function getRepository(call: ApiCall): void {
  call.send(200, findRepository(call).json);
}

/** `PATCH …/repository/<name>/` `{username?, password?}` → 200 + Repository (§2: status inferred). */
export async function updateRepository(call: ApiCall): Promise<void> {
  const record = findRepository(call);
  const body = await readJsonObject(call.req);
  Object.assign(record.credentials, readCredentials(body));
  call.send(200, record.json);
}

/**
 * `DELETE …/repository/<name>/` → 204, no body (§2: 202 or 204 inferred; the python SDK handles a body-less 204).
 * It only forgets the repository; the third-party registry keeps it (repository.md).
 */
export function deleteRepository(call: ApiCall): void {
  call.repositories.delete(findRepository(call).name);
  call.sendEmpty(204);
}

/** A name that cannot be a repository (empty, `..`, not host/path) is a 404 like an unknown one: it cannot exist. */
function findRepository(call: ApiCall): RepositoryRecord {
  const parsed: RepositoryName | null = parseRepositoryName(call.id);
  const record = parsed === null ? undefined : call.repositories.get(parsed.name);
  if (!record) throw new DockerCloudError(404, `Repository '${call.id}' not found.`);
  return record;
}

function readCredentials(body: Record<string, unknown>): RepositoryCredentials {
  const credentials: RepositoryCredentials = {};
  const username = optionalString(body, 'username');
  const password = optionalString(body, 'password');
  if (username !== undefined) credentials.username = username;
  if (password !== undefined) credentials.password = password;
  return credentials;
}
