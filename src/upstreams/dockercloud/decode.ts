/**
 * Docker Cloud wire → domain. Lists are Tastypie's `{meta: {limit, offset, next, previous, total_count}, objects}`
 * (docker-cloud-repository.md §4); errors are `{"error": "…"}` or, sometimes, an HTML page (§5: the shared layer
 * never passes a page on). Docs: https://github.com/docker/docs `apidocs/cloud-api-source` (repository.md, registry.md).
 */
import type { UpstreamErrorDetail } from '../../errors.js';
import { InvalidUpstreamValue, upstreamBoolean, upstreamInt, upstreamString } from '../shared/invalidValue.js';
import type { DockerCloudRegistry, DockerCloudRepository } from './types.js';
import type { WireError, WireRegistry, WireRepository } from './wire.js';

/**
 * The host in a registry resource URI. §3 marks a conflict (namespaced in the docs, not in the real response) and
 * says to treat the URI as opaque: only its last segment, the host, is read.
 */
export function hostFromRegistryUri(uri: string): string | null {
  const match = /\/registry\/([^/?#]+)\/?(?:[?#].*)?$/.exec(uri);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    // A malformed percent-escape (`%zz`): no host can be read from it.
    return null;
  }
}

/** `2015-06-19 15:12:04+00:00` (Tutum-era, §3) or ISO 8601 → ISO 8601 in UTC; null when unreadable. */
export function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value.includes('T') ? value : value.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Whether an optional field was sent: absent and null both read as null in the graph. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function decodeRepository(wire: WireRepository, namespace: string | null): DockerCloudRepository {
  return {
    name: wire.name,
    inUse: wire.in_use === true,
    registryHost:
      hostFromRegistryUri(typeof wire.registry === 'string' ? wire.registry : '') ??
      new InvalidUpstreamValue('dockercloud', 'registry', 'not a registry resource URI with a host'),
    resourceUri: wire.resource_uri,
    namespace,
    state: wire.state ?? null,
    // Tag entries were names in repo-v1 responses and resource URIs in the Tutum era (§3, I): keep the strings.
    tags: Array.isArray(wire.tags) ? wire.tags.filter((t): t is string => typeof t === 'string') : null,
    publicUrl: wire.public_url ?? null,
    lastBuildDate: isoTime(wire.last_build_date),
    description: wire.description ?? null,
    isPrivateImage: wire.is_private_image ?? null,
    starCount: present(wire.star_count) ? upstreamInt('dockercloud', wire.star_count, 'star_count') : null,
  };
}

export function decodeRegistry(wire: WireRegistry, namespace: string | null): DockerCloudRegistry {
  return {
    host: wire.host,
    name: upstreamString('dockercloud', wire.name, 'name'),
    port: present(wire.port) ? upstreamInt('dockercloud', wire.port, 'port') : null,
    isSsl: upstreamBoolean('dockercloud', wire.is_ssl, 'is_ssl'),
    isDockerRegistry: upstreamBoolean('dockercloud', wire.is_docker_registry, 'is_docker_registry'),
    uuid: wire.uuid ?? null,
    resourceUri: wire.resource_uri,
    namespace,
  };
}

/** §5: `{"error": "Descriptive error message"}`. Docker Cloud has no error codes beyond the HTTP status. */
export function decodeDockerCloudError(body: unknown): UpstreamErrorDetail {
  const message = (body as WireError).error;
  return typeof message === 'string' && message !== '' ? { detail: message } : {};
}
