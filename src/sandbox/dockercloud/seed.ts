/**
 * The deterministic Docker Cloud seed, per tenant variant.
 * - Variant 0 (the demo tenant): every repository of the shared catalogue in the user's namespace, `in_use` mixed,
 *   plus a few in the organisation namespace (`acme`).
 * - Variant n ≥ 1: a small subset of the catalogue in the user's namespace and a few repositories of its own in a
 *   different organisation (`globex` for variant 1), so two callers see different data.
 * Seeded credentials carry the marker `SANDBOX-SECRET-` so tests can prove no password ever comes back out.
 */
import { CATALOG_REPOSITORIES, DOCKER_HUB_HOST, type CatalogRepository } from '../shared/catalog.js';
import { SeededRandom } from '../shared/random.js';
import type { RepositoryExtras } from './views.js';

export const SECRET_MARKER = 'SANDBOX-SECRET-';

/** Who owns a seeded repository: the tenant's own user namespace or its organisation. */
export type SeedOwner = 'user' | 'organisation';

export interface SeedRepository {
  owner: SeedOwner;
  name: string;
  registryHost: string;
  inUse: boolean;
  username?: string;
  password?: string;
  extras?: RepositoryExtras;
}

const BASE_DATE = new Date('2016-03-01T00:00:00Z');
const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;

export function organisationOf(variant: number): string {
  return variant === 0 ? 'acme' : variant === 1 ? 'globex' : `org${variant}`;
}

export function seedRepositories(variant: number): SeedRepository[] {
  const random = new SeededRandom(0xdc0000 + variant);
  const seeded = (owner: SeedOwner, repository: CatalogRepository): SeedRepository =>
    seedRepository(random, owner, repository);
  if (variant === 0) {
    const inOrganisation = [
      'quay.io/acme/api',
      'quay.io/acme/web',
      'ghcr.io/acme/frontend',
      'acme.azurecr.io/payments/api',
      'acme/worker',
    ];
    return [
      ...CATALOG_REPOSITORIES.map((repository) => seeded('user', repository)),
      ...inOrganisation.map((name) => seeded('organisation', catalogRepository(name))),
    ];
  }
  const organisation = organisationOf(variant);
  const subset = CATALOG_REPOSITORIES.filter((_, index) => (index + variant) % 4 === 0);
  const own: CatalogRepository[] = [
    { name: `quay.io/${organisation}/api`, registryHost: 'quay.io', path: `${organisation}/api`, tags: ['latest'] },
    { name: `ghcr.io/${organisation}/site`, registryHost: 'ghcr.io', path: `${organisation}/site`, tags: [] },
    {
      name: `registry.local/${organisation}/tools`,
      registryHost: 'registry.local',
      path: `${organisation}/tools`,
      tags: ['v3'],
    },
    { name: `${organisation}/worker`, registryHost: DOCKER_HUB_HOST, path: `${organisation}/worker`, tags: ['stable'] },
  ];
  return [
    ...subset.map((repository) => seeded('user', repository)),
    ...own.map((repository) => seeded('organisation', repository)),
  ];
}

/** Every credential secret of a variant's seed (all contain `SANDBOX-SECRET-`), for tests that scan responses. */
export function dockerCloudSeedSecrets(variant: number): string[] {
  return [...new Set(seedRepositories(variant).flatMap((r) => (r.password === undefined ? [] : [r.password])))];
}

function seedRepository(random: SeededRandom, owner: SeedOwner, repository: CatalogRepository): SeedRepository {
  const isDockerHub = repository.registryHost === DOCKER_HUB_HOST;
  const seed: SeedRepository = {
    owner,
    name: repository.name,
    registryHost: repository.registryHost,
    inUse: random.bool(0.45),
  };
  // Public official images need no credentials; everything else was added with a registry login.
  if (!repository.path.startsWith('library/') && random.bool(0.85)) {
    seed.username = isDockerHub ? repository.path.split('/')[0]! : `${repository.path.split('/')[0]}+deploy`;
    seed.password = `${SECRET_MARKER}${random.hex(20)}`;
  }
  // [iss23] shows the extra fields on a Docker Hub repository; some third-party ones carry them too.
  if (isDockerHub || random.bool(0.3)) seed.extras = extrasFor(random, repository, isDockerHub);
  return seed;
}

function extrasFor(random: SeededRandom, repository: CatalogRepository, isDockerHub: boolean): RepositoryExtras {
  // [iss23]: `https://registry-1.docker.io/_/<user>/<repo>/` for Docker Hub; (I) `https://<host>/<path>/` elsewhere.
  const publicUrl = isDockerHub
    ? `https://${DOCKER_HUB_HOST}/_/${repository.path}/`
    : `https://${repository.registryHost}/${repository.path}/`;
  if (repository.tags.length === 0 || random.bool(0.25)) {
    return { buildSource: null, lastBuildDate: null, publicUrl, state: 'Empty', tags: [] };
  }
  const built = random.isoBetween(BASE_DATE, NINETY_DAYS_MS).replace('T', ' ').replace('Z', '+00:00');
  // (I) Tag names: the only repo-v1 observation has `tags: []`; the Tutum-era image resource listed tag URIs.
  return { buildSource: null, lastBuildDate: built, publicUrl, state: 'Success', tags: [...repository.tags] };
}

function catalogRepository(name: string): CatalogRepository {
  const found = CATALOG_REPOSITORIES.find((repository) => repository.name === name);
  if (!found) throw new Error(`seed: "${name}" is not a repository of the shared catalogue`);
  return found;
}
