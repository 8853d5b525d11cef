/**
 * Image origins of every kind the spec defines for an image source (cycle.md §5 "ImageOrigin"; `cycle-source` is
 * never embedded in a source). Credentials are present, as the real API returns them, and recorded as secrets.
 * Registry-backed origins name repositories of the shared catalogue, so a gateway can link a source to the Docker
 * Cloud repository it pulls from: `docker-hub` targets are `docker pull` references (`nginx:1.0.0`,
 * `acme/worker:latest`); `docker-registry`/`oci-registry` carry the registry's URL and the path inside it.
 */
import {
  CATALOG_REGISTRIES,
  CATALOG_REPOSITORIES,
  DOCKER_HUB_HOST,
  imageReferenceOf,
  type CatalogRepository,
} from '../../shared/catalog.js';
import type { ImageOrigin } from '../wire.js';
import type { SeedContext } from './context.js';

export type OriginRecipe =
  | 'docker-hub-public'
  | 'docker-hub-auth'
  | 'docker-registry-token'
  | 'docker-registry-password'
  | 'oci-user'
  | 'oci-provider'
  | 'oci-webhook'
  | 'oci-anonymous'
  | 'dockerfile-http'
  | 'dockerfile-ssh'
  | 'dockerfile-public'
  | 'dockerfile-targz'
  | 'cycle-upload'
  | 'none';

export interface SeededOrigin {
  origin: ImageOrigin;
  /** A human name for the source, e.g. `Api (Quay)`. */
  name: string;
  /** Tags an image of this source may be imported at (registry-backed origins only). */
  tags: readonly string[];
  /** The repository inside the registry, for image overrides (`acme/api`). */
  repositoryPath?: string;
}

const APP_NAMES = [
  'storefront',
  'checkout',
  'inventory',
  'notifications',
  'search-indexer',
  'admin-portal',
  'analytics',
  'mailer',
  'billing-ui',
  'status-page',
];

const hubRepositories = CATALOG_REPOSITORIES.filter((r) => r.registryHost === DOCKER_HUB_HOST);
const otherRepositories = CATALOG_REPOSITORIES.filter((r) => r.registryHost !== DOCKER_HUB_HOST);
const OTHER_STRIDE = strideFor(otherRepositories.length);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The smallest stride ≥ 7 that visits every index of a list of `length` before repeating. */
function strideFor(length: number): number {
  let stride = 7;
  while (length > 1 && gcd(stride, length) !== 1) stride++;
  return stride;
}

/** The URL an origin names for a catalogue registry: `https://quay.io`, `http://registry.local:5000`. */
export function registryUrlOf(host: string): string {
  const registry = CATALOG_REGISTRIES.find((r) => r.host === host);
  if (registry === undefined) throw new RangeError(`registryUrlOf: ${host} is not in the shared catalogue`);
  const scheme = registry.isSsl ? 'https' : 'http';
  const defaultPort = registry.isSsl ? 443 : 80;
  return `${scheme}://${host}${registry.port === defaultPort ? '' : `:${registry.port}`}`;
}

function titleOf(repository: CatalogRepository): string {
  const last = repository.path.split('/').pop() ?? repository.path;
  return last.charAt(0).toUpperCase() + last.slice(1);
}

function registryName(host: string): string {
  return CATALOG_REGISTRIES.find((r) => r.host === host)?.name ?? host;
}

/** Deals catalogue repositories and app names out in turn, so sources of one seed rarely share a repository. */
export class OriginFactory {
  #hubNext: number;
  #otherNext: number;
  #appNext: number;

  constructor(
    private readonly ctx: SeedContext,
    variant: number,
  ) {
    this.#hubNext = variant;
    this.#otherNext = variant * 11;
    this.#appNext = variant * 3;
  }

  #nextHub(): CatalogRepository {
    return hubRepositories[this.#hubNext++ % hubRepositories.length]!;
  }

  /** Steps through the non-Hub catalogue with a stride coprime to its length, so consecutive picks change registry. */
  #nextOther(): CatalogRepository {
    const index = (this.#otherNext++ * OTHER_STRIDE) % otherRepositories.length;
    return otherRepositories[index]!;
  }

  #nextApp(): string {
    return APP_NAMES[this.#appNext++ % APP_NAMES.length]!;
  }

  create(recipe: OriginRecipe, createdMs: number): SeededOrigin {
    const { ctx } = this;
    switch (recipe) {
      case 'docker-hub-public':
      case 'docker-hub-auth': {
        const repo = this.#nextHub();
        const credentials = recipe === 'docker-hub-auth' ? { username: 'acmeci', token: ctx.secret('dckr_pat_') } : {};
        return {
          origin: { type: 'docker-hub', details: { target: imageReferenceOf(repo), ...credentials, existing: null } },
          name: `${titleOf(repo)} (Docker Hub)`,
          tags: repo.tags,
          repositoryPath: repo.name.startsWith('library/') ? repo.path.slice('library/'.length) : repo.name,
        };
      }
      case 'docker-registry-token':
      case 'docker-registry-password': {
        const repo = this.#nextOther();
        const credentials =
          recipe === 'docker-registry-token'
            ? { username: 'acme+robot', token: ctx.secret() }
            : { username: 'deployer', password: ctx.secret() };
        return {
          origin: {
            type: 'docker-registry',
            details: { target: `${repo.path}:${repo.tags[0]}`, url: registryUrlOf(repo.registryHost), ...credentials },
          },
          name: `${titleOf(repo)} (${registryName(repo.registryHost)})`,
          tags: repo.tags,
          repositoryPath: repo.path,
        };
      }
      case 'oci-user':
      case 'oci-provider':
      case 'oci-webhook':
      case 'oci-anonymous': {
        const repo = this.#nextOther();
        const auth =
          recipe === 'oci-user'
            ? { type: 'user' as const, details: { username: 'acme-bot', token: ctx.secret('ghp_') } }
            : recipe === 'oci-provider'
              ? {
                  type: 'provider' as const,
                  details: {
                    flavor: 'ecr' as const,
                    credentials: {
                      region: 'us-east-1',
                      namespace: 'acme',
                      api_key: ctx.secret('AKIA'),
                      secret: ctx.secret(),
                    },
                  },
                }
              : recipe === 'oci-webhook'
                ? { type: 'webhook' as const, details: { url: 'https://auth.acme.example/cycle/registry-token' } }
                : null;
        return {
          origin: {
            type: 'oci-registry',
            details: { target: `${repo.path}:${repo.tags[0]}`, url: registryUrlOf(repo.registryHost), auth },
          },
          name: `${titleOf(repo)} (${registryName(repo.registryHost)}, OCI)`,
          tags: repo.tags,
          repositoryPath: repo.path,
        };
      }
      case 'dockerfile-http':
      case 'dockerfile-ssh':
      case 'dockerfile-public': {
        const app = this.#nextApp();
        const auth =
          recipe === 'dockerfile-http'
            ? { type: 'http' as const, credentials: { username: 'acme-bot', password: ctx.secret('ghp_') } }
            : recipe === 'dockerfile-ssh'
              ? {
                  type: 'ssh' as const,
                  credentials: { username: 'git', passphrase: ctx.secret(), private_key: ctx.privateKey() },
                }
              : null;
        const url =
          recipe === 'dockerfile-ssh' ? `git@github.com:acme/${app}.git` : `https://github.com/acme/${app}.git`;
        return {
          origin: {
            type: 'docker-file',
            details: {
              existing: null,
              repo: {
                url,
                branch: 'main',
                auth,
                ref: recipe === 'dockerfile-public' ? null : { type: 'branch', value: 'main' },
              },
              targz_url: null,
              context_dir: '.',
              build_file: recipe === 'dockerfile-ssh' ? 'docker/Dockerfile' : 'Dockerfile',
              credentials:
                recipe === 'dockerfile-http'
                  ? [{ url: 'ghcr.io', username: 'acme-bot', token: ctx.secret('ghp_') }]
                  : null,
            },
          },
          name: `${app} (Dockerfile)`,
          tags: [],
        };
      }
      case 'dockerfile-targz': {
        const app = this.#nextApp();
        return {
          origin: {
            type: 'docker-file',
            details: {
              existing: null,
              repo: null,
              targz_url: `https://artifacts.acme.example/builds/${app}.tar.gz`,
              context_dir: null,
              build_file: null,
              credentials: null,
            },
          },
          name: `${app} (tarball)`,
          tags: [],
        };
      }
      case 'cycle-upload':
        return {
          origin: {
            type: 'cycle-upload',
            details: { expires: ctx.iso(createdMs + 24 * 3_600_000), token: ctx.secret() },
          },
          name: `${this.#nextApp()} (upload)`,
          tags: [],
        };
      case 'none':
        return { origin: { type: 'none' }, name: 'Scratch images', tags: [] };
    }
  }
}
