/**
 * Repository names and resource URIs. A repository's primary key is its `name` (§2 "Path identifier"), e.g.
 * `quay.io/acme/api`, or `acme/worker` for Docker Hub; it goes into the path verbatim, slashes unencoded.
 */
import { DOCKER_HUB_HOST } from '../shared/catalog.js';

export const API_ROOT = '/api/repo/v1/';

export interface RepositoryName {
  /** The canonical name: `<host>/<path>`, or just `<path>` on Docker Hub (as the real [iss23] response names it). */
  name: string;
  registryHost: string;
  path: string;
}

// Docker's reference grammar (distribution/reference): a path component is lowercase alphanumerics joined by
// `.`, `_`, `__` or dashes; a registry host is a domain with an optional port. Because a component must start and
// end with an alphanumeric, empty segments, `.` and `..` are never valid.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;

/** Host spellings that all mean Docker Hub; names on it are stored without a host. */
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB_HOST, 'docker.io', 'index.docker.io']);

/**
 * Parses a repository name; null when it is not a valid `host/path` (or Docker Hub `namespace/repo`), i.e. when no
 * such repository can exist. As in `docker pull`, the first component is a host only if it contains `.` or `:` or
 * is `localhost`; otherwise the name belongs to Docker Hub (`registry-1.docker.io`).
 * (I) A bare single component (`nginx`) is refused: Docker Cloud names Docker Hub repositories `user/repo`
 * ([iss23] `juliocanares/hd_node`) and official images `library/<x>`.
 */
export function parseRepositoryName(raw: string): RepositoryName | null {
  const components = raw.split('/');
  const first = components[0]!;
  const hasHost = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : DOCKER_HUB_HOST;
  const pathComponents = hasHost ? components.slice(1) : components;
  if (hasHost && !HOST.test(host)) return null;
  if (!pathComponents.every((c) => PATH_COMPONENT.test(c))) return null;
  const path = pathComponents.join('/');
  if (DOCKER_HUB_ALIASES.has(host)) {
    return pathComponents.length >= 2 ? { name: path, registryHost: DOCKER_HUB_HOST, path } : null;
  }
  return pathComponents.length >= 1 ? { name: `${host}/${path}`, registryHost: host, path } : null;
}

/**
 * Resource URIs always carry the owning namespace, the form the docs show (`/api/repo/v1/user_namespace/…`).
 * §3 marks a conflict: the real 2016 response used the non-namespaced form. We pick the namespaced one because it
 * stays unambiguous and resolvable (`GET <host><resource_uri>`) for repositories in an organisation namespace,
 * where a non-namespaced URI would resolve in the caller's own namespace instead.
 */
export function repositoryUri(namespace: string, name: string): string {
  return `${API_ROOT}${namespace}/repository/${name}/`;
}

export function registryUri(namespace: string, host: string): string {
  return `${API_ROOT}${namespace}/registry/${host}/`;
}

const REGISTRY_URI = /^\/api\/repo\/v1\/(?:[^/]+\/)?registry\/([^/]+)\/?$/;

/**
 * The `registry` list filter is documented as "the resource URI of the registry"; we also accept a bare host, and
 * a URI in either form (namespaced or not, relative or absolute) since §3 shows both.
 */
export function registryHostFromFilter(value: string): string {
  const path = /^https?:\/\//i.test(value) ? safePathname(value) : value;
  return REGISTRY_URI.exec(path)?.[1] ?? value;
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
