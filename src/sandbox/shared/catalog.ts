/**
 * The registries and repositories that exist in the Docker Cloud seed. The Cycle and Cloud Foundry seeds name some of
 * them (registry-backed image source origins, docker package images) so that cross-platform links have something to
 * find. Shared by the three emulators only: the gateway never imports the sandbox.
 */
export interface CatalogRegistry {
  host: string;
  name: string;
  port: number;
  isSsl: boolean;
  /** Run by Docker (Docker Hub). */
  isDockerRegistry: boolean;
}

export interface CatalogRepository {
  /** Docker Cloud's primary key: `<host>/<path>` for third-party registries, just `<path>` on Docker Hub. */
  name: string;
  registryHost: string;
  /** Path inside the registry, e.g. `acme/api`. */
  path: string;
  tags: string[];
}

export const DOCKER_HUB_HOST = 'registry-1.docker.io';

export const CATALOG_REGISTRIES: readonly CatalogRegistry[] = [
  { host: DOCKER_HUB_HOST, name: 'Docker Hub', port: 443, isSsl: true, isDockerRegistry: true },
  { host: 'quay.io', name: 'Quay', port: 443, isSsl: true, isDockerRegistry: false },
  { host: 'ghcr.io', name: 'GitHub Container Registry', port: 443, isSsl: true, isDockerRegistry: false },
  { host: 'gcr.io', name: 'Google Container Registry', port: 443, isSsl: true, isDockerRegistry: false },
  { host: 'registry.gitlab.com', name: 'GitLab Registry', port: 443, isSsl: true, isDockerRegistry: false },
  { host: 'acme.azurecr.io', name: 'Azure (acme)', port: 443, isSsl: true, isDockerRegistry: false },
  { host: 'registry.local', name: 'On-prem registry', port: 5000, isSsl: false, isDockerRegistry: false },
];

const PATHS_BY_HOST: Record<string, string[]> = {
  [DOCKER_HUB_HOST]: ['acme/worker', 'acme/cron', 'library/nginx', 'library/redis'],
  'quay.io': [
    'acme/api',
    'acme/web',
    'acme/billing',
    'acme/search',
    'acme/auth',
    'acme/gateway',
    'coreos/etcd',
    'prometheus/node-exporter',
  ],
  'ghcr.io': ['acme/frontend', 'acme/docs', 'acme/cli', 'acme/metrics', 'acme/notifier', 'acme/reports', 'acme/ledger'],
  'gcr.io': [
    'acme-prod/ingest',
    'acme-prod/pipeline',
    'acme-prod/scheduler',
    'acme-prod/exporter',
    'distroless/static',
    'distroless/base',
  ],
  'registry.gitlab.com': [
    'acme/platform/deployer',
    'acme/platform/migrator',
    'acme/platform/backup',
    'acme/data/etl',
    'acme/data/warehouse',
    'acme/data/loader',
  ],
  'acme.azurecr.io': [
    'payments/api',
    'payments/worker',
    'payments/reconciler',
    'identity/api',
    'identity/admin',
    'identity/sync',
  ],
  'registry.local': [
    'tools/builder',
    'tools/scanner',
    'tools/signer',
    'legacy/monolith',
    'legacy/batch',
    'legacy/reports',
    'team-a/service',
  ],
};

const TAGS = ['latest', '1.0.0', '1.4.2', '2.0.1', 'stable', 'v3', 'main'];

export const CATALOG_REPOSITORIES: readonly CatalogRepository[] = CATALOG_REGISTRIES.flatMap((registry) =>
  (PATHS_BY_HOST[registry.host] ?? []).map((path, index) => ({
    name: registry.host === DOCKER_HUB_HOST ? path : `${registry.host}/${path}`,
    registryHost: registry.host,
    path,
    tags: TAGS.slice(index % 3, (index % 3) + 3),
  })),
);

/** `docker pull`-style reference for a catalogue repository, e.g. `quay.io/acme/api:1.4.2` or `acme/worker:latest`. */
export function imageReferenceOf(repository: CatalogRepository, tag = repository.tags[0] ?? 'latest'): string {
  return `${repository.name.startsWith('library/') ? repository.path.slice('library/'.length) : repository.name}:${tag}`;
}
