/**
 * The shape of each tenant's Cloud Foundry: organization, spaces and apps. Variant 0 is the demo data; any other
 * variant gets the smaller second profile (with its own guids, since the random seed depends on the variant).
 *
 * Docker apps name the repository their image comes from: a `shared/catalog.ts` repository name (so the gateway's
 * cross-platform links find it in Docker Cloud), or a `registry/path` outside the catalogue.
 */
export interface SeedApp {
  name: string;
  space: string;
  team: string;
  state: 'STARTED' | 'STOPPED';
  lifecycle:
    | { type: 'buildpack'; buildpack: string; stack: string }
    | { type: 'docker'; repository: string; catalogued: boolean };
  /** A fixed guid instead of a seeded one (the app of a documented example request). */
  guid?: string;
}

/**
 * The app of the early-v3 "Create a Package" example (seeds 000/001): seed 001's rendering names it
 * `d8b8148d-…`, seed 000's route `guid-d8b8148d-…` (the docs' generator prefixed its guids with `guid-`; the
 * early-v3 route reads either, routes/apps.ts).
 */
export const EARLY_V3_EXAMPLE_APP_GUID = 'd8b8148d-5798-44de-821a-64b85b15e968';

export interface SeedProfile {
  organization: string;
  spaces: string[];
  apps: SeedApp[];
  packageCount: number;
  /** Registry user names that docker packages authenticate with. */
  registryUsers: string[];
}

const buildpack = (
  name: string,
  space: string,
  team: string,
  bp: string,
  state: SeedApp['state'] = 'STARTED',
  stack = 'cflinuxfs4',
): SeedApp => ({
  name,
  space,
  team,
  state,
  lifecycle: { type: 'buildpack', buildpack: bp, stack },
});

const docker = (
  name: string,
  space: string,
  team: string,
  repository: string,
  catalogued = true,
  state: SeedApp['state'] = 'STARTED',
): SeedApp => ({
  name,
  space,
  team,
  state,
  lifecycle: { type: 'docker', repository, catalogued },
});

export const DEMO_PROFILE: SeedProfile = {
  organization: 'acme-corp',
  spaces: ['development', 'staging', 'production'],
  packageCount: 72,
  registryUsers: ['acme-ci', 'deploy-bot', 'release-manager'],
  apps: [
    buildpack('api-server', 'production', 'platform', 'ruby_buildpack'),
    buildpack('web-frontend', 'production', 'web', 'nodejs_buildpack'),
    buildpack('billing-service', 'production', 'payments', 'java_buildpack'),
    buildpack('auth-service', 'production', 'identity', 'go_buildpack'),
    buildpack('notifications', 'staging', 'platform', 'nodejs_buildpack'),
    buildpack('search-indexer', 'staging', 'data', 'python_buildpack', 'STOPPED'),
    buildpack('reports', 'development', 'data', 'python_buildpack'),
    buildpack('ledger', 'production', 'payments', 'go_buildpack'),
    buildpack('admin-console', 'staging', 'web', 'ruby_buildpack', 'STOPPED', 'cflinuxfs3'),
    buildpack('docs-site', 'development', 'web', 'nodejs_buildpack'),
    buildpack('metrics-collector', 'development', 'platform', 'go_buildpack'),
    buildpack('checkout', 'staging', 'payments', 'java_buildpack'),
    docker('worker', 'production', 'platform', 'acme/worker'),
    docker('cron-runner', 'production', 'platform', 'acme/cron'),
    docker('nginx-edge', 'production', 'web', 'library/nginx'),
    docker('edge-gateway', 'staging', 'platform', 'quay.io/acme/gateway'),
    docker('etl-pipeline', 'development', 'data', 'registry.gitlab.com/acme/data/etl', true, 'STOPPED'),
    {
      ...docker('legacy-monolith', 'development', 'payments', 'registry.example.net/legacy/monolith', false, 'STOPPED'),
      guid: EARLY_V3_EXAMPLE_APP_GUID,
    },
  ],
};

export const SECOND_PROFILE: SeedProfile = {
  organization: 'globex-labs',
  spaces: ['dev', 'prod'],
  packageCount: 16,
  registryUsers: ['globex-ci'],
  apps: [
    buildpack('storefront', 'prod', 'shop', 'nodejs_buildpack'),
    buildpack('inventory', 'prod', 'shop', 'java_buildpack'),
    buildpack('payments-gateway', 'prod', 'finance', 'go_buildpack'),
    buildpack('analytics', 'dev', 'data', 'python_buildpack', 'STOPPED'),
    docker('image-resizer', 'prod', 'media', 'gcr.io/distroless/static'),
    docker('mailer', 'dev', 'platform', 'harbor.globex.example/platform/mailer', false),
  ],
};

export function profileFor(variant: number): SeedProfile {
  return variant === 0 ? DEMO_PROFILE : SECOND_PROFILE;
}
