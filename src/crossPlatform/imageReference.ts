/**
 * Container image references (`docker pull` names), parsed the way Docker's reference library reads them
 * (github.com/distribution/reference: `reference.go` grammar and `normalize.go`):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*
 *
 * - The first component is a registry domain only when more components follow and it contains `.` or `:`, is
 *   `localhost`, or has an upper-case letter; otherwise the name is on Docker Hub.
 * - Docker Hub is `registry-1.docker.io` here (the host Docker Cloud names it by, docker-cloud-repository.md §3);
 *   `docker.io` and `index.docker.io` mean the same registry. Official images get `library/` (`nginx` is
 *   `library/nginx`).
 * - Anything else (a URL, whitespace, an empty or `..` component, upper case in the path) is not a reference: the
 *   parser returns null, and the graph shows no `image` rather than an error.
 *
 * No upstream has this: CF stores a docker package's image as a plain string, Cycle registry origins a URL and a
 * target. Pure: no I/O, no dependencies.
 */
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', DOCKER_HUB_REGISTRY]);

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** `reference.NameTotalLengthMax`. */
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  /** The reference as given (for registry origins: the registry host joined with the target). */
  reference: string;
  /** Registry host, with a port when it is not the default, lower case; Docker Hub is `registry-1.docker.io`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`, `acme/api`. */
  path: string;
  /** Null when the reference names none (Docker then pulls `latest`). */
  tag: string | null;
  /** `algorithm:hex`, e.g. `sha256:…`; null when the reference pins none. */
  digest: string | null;
  /**
   * The name Docker Cloud gives this repository (its primary key, docker-cloud-repository.md §2): the path alone on
   * Docker Hub (`library/nginx`, `acme/worker`), `<host>/<path>` elsewhere. Docker Cloud keeps a registry's port
   * apart from its host (§3 Registry: `host`, `port`), so the port is not part of the name.
   */
  dockerCloudName: string;
}

/** Parses a `docker pull` reference such as `nginx`, `acme/worker:1.0`, `quay.io/acme/api@sha256:…`. */
export function parseImageReference(raw: string): ImageReference | null {
  const parts = splitTagAndDigest(raw);
  if (!parts) return null;
  const components = parts.name.split('/');
  const first = components[0]!;
  const hasDomain =
    components.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  const domain = hasDomain ? first : DOCKER_HUB_REGISTRY;
  return build(raw, domain, hasDomain ? components.slice(1) : components, parts);
}

/**
 * Parses an image named by a registry URL and a target inside it (Cycle's `docker-registry` and `oci-registry`
 * origins: `url: https://quay.io`, `target: acme/api:1.0`, cycle.md §5). The URL's host is the registry whatever
 * the target's first component looks like; a target that repeats the host is accepted too.
 */
export function parseRegistryImage(registryUrl: string, target: string): ImageReference | null {
  const host = hostOfUrl(registryUrl);
  if (host === null) return null;
  const relative = target.toLowerCase().startsWith(`${host}/`) ? target.slice(host.length + 1) : target;
  const parts = splitTagAndDigest(relative);
  if (!parts) return null;
  return build(`${host}/${relative}`, host, parts.name.split('/'), parts);
}

interface ReferenceParts {
  name: string;
  tag: string | null;
  digest: string | null;
}

/** Splits `name[:tag][@digest]`; a `:` before the last `/` belongs to the domain's port, not a tag. */
function splitTagAndDigest(raw: string): ReferenceParts | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (raw === '' || /[\s\u0000-\u001f\u007f]/.test(raw)) return null;
  const at = raw.indexOf('@');
  const digest = at < 0 ? null : raw.slice(at + 1);
  if (digest !== null && !DIGEST.test(digest)) return null;
  const nameAndTag = at < 0 ? raw : raw.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  const tag = hasTag ? nameAndTag.slice(colon + 1) : null;
  if (tag !== null && !TAG.test(tag)) return null;
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  return name === '' ? null : { name, tag, digest };
}

function build(
  reference: string,
  rawDomain: string,
  pathComponents: string[],
  parts: ReferenceParts,
): ImageReference | null {
  if (!DOMAIN.test(rawDomain) || pathComponents.length === 0 || !pathComponents.every((c) => PATH_COMPONENT.test(c)))
    return null;
  const lowered = rawDomain.toLowerCase();
  const registry = DOCKER_HUB_ALIASES.has(lowered) ? DOCKER_HUB_REGISTRY : lowered;
  const isDockerHub = registry === DOCKER_HUB_REGISTRY;
  const path = isDockerHub && pathComponents.length === 1 ? `library/${pathComponents[0]}` : pathComponents.join('/');
  if (registry.length + 1 + path.length > MAX_NAME_LENGTH) return null;
  const dockerCloudName = isDockerHub ? path : `${registry.replace(/:\d+$/, '')}/${path}`;
  return { reference, registry, path, tag: parts.tag, digest: parts.digest, dockerCloudName };
}

/** `https://quay.io`, `quay.io`, `http://registry.local:5000/v2/` → `quay.io`, `registry.local:5000`. */
function hostOfUrl(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    const host = url.host.toLowerCase();
    return DOMAIN.test(host) ? (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB_REGISTRY : host) : null;
  } catch {
    return null;
  }
}
