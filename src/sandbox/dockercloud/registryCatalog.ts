/**
 * The registries Docker Cloud knows: the shared catalogue's, each with a stable uuid (the registry list filters on
 * `uuid`, registry.md). Registries are global and read-only (§2): every tenant and namespace sees the same ones.
 */
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
