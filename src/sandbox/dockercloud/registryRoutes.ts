/**
 * Registries (§2, docs `registry.md`): list and get only; the resource is read-only.
 */
import { DockerCloudError } from './errors.js';
import { lastValue, listEnvelope, parsePageRequest } from './paging.js';
import type { ApiCall } from './pipeline.js';
import { registriesWith, registryOf, type KnownRegistry } from './registryCatalog.js';
import { registryJson } from './views.js';

/**
 * Tastypie's boolean filter values: `true`/`True` and `false`/`False`. registry.md documents 'true' or 'false';
 * anything else is refused rather than silently matching nothing.
 */
function parseBooleanFilter(value: string): boolean {
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw new DockerCloudError(
    400,
    `Invalid value '${value}' for is_docker_registry. Possible values: 'true' or 'false'.`,
  );
}

/**
 * `GET …/registry/` with the documented exact filters `uuid`, `name`, `host`, `is_docker_registry`: the catalogue's
 * registries and the third-party ones this namespace's repositories were added on.
 */
export function listRegistries(call: ApiCall): void {
  const page = parsePageRequest(call.query);
  const uuid = lastValue(call.query, 'uuid');
  const name = lastValue(call.query, 'name');
  const host = lastValue(call.query, 'host');
  const rawIsDocker = lastValue(call.query, 'is_docker_registry');
  const isDocker = rawIsDocker === undefined ? undefined : parseBooleanFilter(rawIsDocker);
  const matches = (r: KnownRegistry): boolean =>
    (uuid === undefined || r.uuid === uuid) &&
    (name === undefined || r.name === name) &&
    (host === undefined || r.host === host) &&
    (isDocker === undefined || r.isDockerRegistry === isDocker);
  const namespace = call.repositories.namespace;
  const objects = registriesWith(call.repositories.registryHosts())
    .filter(matches)
    .map((r) => registryJson(namespace, r));
  call.send(200, listEnvelope(objects, page, call.path, call.query));
}

/**
 * `GET …/registry/<host>/`. §2 marks a conflict: the docs' request line says `/api/v1/…` while the example says
 * `/api/repo/v1/registry/<host>/`; the example form is the one served.
 */
export function getRegistry(call: ApiCall): void {
  const registry = registryOf(call.id, call.repositories.registryHosts());
  if (!registry) throw new DockerCloudError(404, `Registry '${call.id}' not found.`);
  call.send(200, registryJson(call.repositories.namespace, registry));
}
