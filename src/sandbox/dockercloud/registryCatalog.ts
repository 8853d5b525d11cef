/**
 * The registries Docker Cloud knows: the shared catalogue's, each with a stable uuid (the registry list filters on
 * `uuid`, registry.md). Registries are global and read-only (§2): every tenant and namespace sees the same ones.
 */
import { createHash } from 'node:crypto';
import { CATALOG_REGISTRIES, type CatalogRegistry } from '../shared/catalog.js';
import { SeededRandom } from '../shared/random.js';

export interface KnownRegistry extends CatalogRegistry {
  uuid: string;
}

const UUID_SEED = 0x0dc10d;

export const KNOWN_REGISTRIES: readonly KnownRegistry[] = (() => {
  const random = new SeededRandom(UUID_SEED);
  return CATALOG_REGISTRIES.map((registry) => ({ ...registry, uuid: random.uuid() }));
})();

const BY_HOST = new Map(KNOWN_REGISTRIES.map((registry) => [registry.host, registry]));

export function findRegistry(host: string): KnownRegistry | undefined {
  return BY_HOST.get(host);
}

/**
 * The registry of a repository added on a host outside the catalogue. repository.md adds "existing repositories on
 * third party registries" and documents no list of allowed hosts, so any host is accepted; (I) Docker Cloud then
 * knows that registry as a third-party one. Port from the host (`host:5000`), else 443 over TLS; the uuid is derived
 * from the host, so it is stable across calls.
 */
export function thirdPartyRegistry(host: string): KnownRegistry {
  const port = /:(\d+)$/.exec(host);
  const hex = createHash('sha256').update(host).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { host, name: host, port: port ? Number(port[1]) : 443, isSsl: true, isDockerRegistry: false, uuid };
}

/** A catalogue registry, or the third-party registry of a host one of these repositories is on. */
export function registryOf(host: string, repositoryHosts: ReadonlySet<string>): KnownRegistry | undefined {
  return findRegistry(host) ?? (repositoryHosts.has(host) ? thirdPartyRegistry(host) : undefined);
}

/** The catalogue's registries, then those of the hosts outside it that these repositories are on, by host. */
export function registriesWith(repositoryHosts: ReadonlySet<string>): KnownRegistry[] {
  const extra = [...repositoryHosts].filter((host) => !BY_HOST.has(host)).sort();
  return [...KNOWN_REGISTRIES, ...extra.map(thirdPartyRegistry)];
}
