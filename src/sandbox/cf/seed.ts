/**
 * Deterministic Cloud Foundry seed per tenant variant: one organization, its spaces, apps (buildpack and docker
 * lifecycles), packages in every state (cf-v3-packages.md §3), labels and annotations to select on, droplets for
 * some READY packages, and generated zips for the READY bits packages. Same variant → same data, byte for byte.
 */
import { CATALOG_REPOSITORIES, imageReferenceOf } from '../shared/catalog.js';
import { SeededRandom } from '../shared/random.js';
import { generateAppArchive, sha1Hex, sha256Hex } from './bits.js';
import { seedDroplets } from './seedDroplets.js';
import { CfApiError } from './errors.js';
import type {
  AppRecord,
  BitsPackage,
  DockerPackage,
  Metadata,
  PackageRecord,
  PackageState,
  SpaceRecord,
} from './models.js';
import { profileFor, type SeedApp, type SeedProfile } from './seedProfiles.js';
import type { TenantSeedData } from './store.js';

/** Seed timestamps start here (never `Date.now()`), spread over the following ~300 days. */
const BASE_DATE = new Date('2024-02-05T09:30:00Z');
const DAY_MS = 86_400_000;

/** The marker every seeded registry password carries, so a gateway test can sweep responses for leaks. */
export const SEED_SECRET_MARKER = 'SANDBOX-SECRET-';

/** Tags for images outside the catalogue. */
const UNCATALOGUED_TAGS = ['2.3.1', '2.4.0', 'latest'];

/**
 * The first bits packages of a seed take each state once, so every state is always present. Seeded packages are a
 * snapshot: one seeded PROCESSING_UPLOAD or COPYING stays so (a stuck upload); only runtime operations advance.
 */
const GUARANTEED_BITS_STATES: readonly PackageState[] = [
  'READY',
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'FAILED',
  'COPYING',
  'EXPIRED',
];
const WEIGHTED_BITS_STATES: readonly PackageState[] = [
  ...Array<PackageState>(10).fill('READY'),
  'AWAITING_UPLOAD',
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'FAILED',
  'FAILED',
  'COPYING',
  'EXPIRED',
  'EXPIRED',
];

const SPACE_ENV: Record<string, string> = {
  development: 'dev',
  dev: 'dev',
  staging: 'staging',
  production: 'prod',
  prod: 'prod',
};

export function generateCfSeed(variant: number): TenantSeedData {
  const rng = new SeededRandom(0x0cf00000 + variant * 7919);
  const profile = profileFor(variant);
  let seq = 1;

  const organization = { guid: rng.uuid(), name: profile.organization };
  const spaces: SpaceRecord[] = profile.spaces.map((name) => ({
    guid: rng.uuid(),
    name,
    organizationGuid: organization.guid,
  }));
  const spaceGuidByName = new Map(spaces.map((s) => [s.name, s.guid]));

  const seedApps = profile.apps.map((spec) => ({
    spec,
    record: buildApp(rng, spec, spaceGuidByName.get(spec.space)!),
  }));
  seedApps.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  for (const app of seedApps) app.record.seq = seq++;

  const owners = assignPackagesToApps(rng, seedApps.length, profile.packageCount);
  const packages: PackageRecord[] = [];
  let bitsIndex = 0;
  owners.forEach((appIndex, packageIndex) => {
    const { spec, record: app } = seedApps[appIndex]!;
    packages.push(
      spec.lifecycle.type === 'docker'
        ? buildDockerPackage(rng, profile, spec, app)
        : buildBitsPackage(rng, spec, app, stateForBits(rng, bitsIndex++), packageIndex),
    );
  });
  packages.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const pkg of packages) pkg.seq = seq++;

  const buildpackByApp = new Map(
    seedApps.map(({ spec, record }) => [
      record.guid,
      spec.lifecycle.type === 'buildpack' ? spec.lifecycle.buildpack : '',
    ]),
  );
  const droplets = seedDroplets(
    rng,
    packages,
    (appGuid) => buildpackByApp.get(appGuid) ?? '',
    () => seq++,
  );
  return { organization, spaces, apps: seedApps.map((a) => a.record), packages, droplets };
}

/** Every registry password in a variant's seed (all carry `SANDBOX-SECRET-`), for gateway secret-sweep tests. */
export function cfSeedSecrets(variant: number): string[] {
  return generateCfSeed(variant)
    .packages.filter((p): p is DockerPackage => p.type === 'docker' && p.password !== null)
    .map((p) => p.password!);
}

function buildApp(rng: SeededRandom, spec: SeedApp, spaceGuid: string): AppRecord {
  const createdAt = rng.isoBetween(BASE_DATE, 120 * DAY_MS);
  const env = SPACE_ENV[spec.space] ?? 'dev';
  const labels: Record<string, string> = { team: spec.team, env };
  if (spec.lifecycle.type === 'docker') labels['runtime'] = 'container';
  // The seeded guid is drawn even when the spec fixes one, so the rest of the seed stays the same.
  const seededGuid = rng.uuid();
  return {
    guid: spec.guid ?? seededGuid,
    seq: 0,
    name: spec.name,
    state: spec.state,
    createdAt,
    updatedAt: rng.isoBetween(new Date(createdAt), 30 * DAY_MS),
    lifecycle:
      spec.lifecycle.type === 'docker'
        ? { type: 'docker' }
        : { type: 'buildpack', buildpacks: [spec.lifecycle.buildpack], stack: spec.lifecycle.stack },
    spaceGuid,
    metadata: { labels, annotations: { contact: `${spec.team}@acme.example` } },
  };
}

/** Each app gets one package; the rest go to random apps. Returns the owning app's index for each package. */
function assignPackagesToApps(rng: SeededRandom, appCount: number, packageCount: number): number[] {
  const owners = Array.from({ length: appCount }, (_, i) => i);
  while (owners.length < packageCount) owners.push(rng.int(0, appCount - 1));
  return owners;
}

function stateForBits(rng: SeededRandom, bitsIndex: number): PackageState {
  return GUARANTEED_BITS_STATES[bitsIndex] ?? rng.pick(WEIGHTED_BITS_STATES);
}

function packageTimestamps(rng: SeededRandom, app: AppRecord): { createdAt: string; updatedAt: string } {
  const createdAt = rng.isoBetween(new Date(Date.parse(app.createdAt) + 3_600_000), 180 * DAY_MS);
  return { createdAt, updatedAt: rng.isoBetween(new Date(createdAt), 15 * 60_000) };
}

/** Labels on about three packages in four: env/team from the app, and a few tiers, releases and legacy flags. */
function packageMetadata(rng: SeededRandom, spec: SeedApp, ordinal: number): Metadata {
  if (rng.bool(0.25)) return { labels: {}, annotations: {} };
  const labels: Record<string, string> = { env: SPACE_ENV[spec.space] ?? 'dev', team: spec.team };
  if (rng.bool(0.5)) labels['tier'] = rng.pick(['web', 'worker', 'batch']);
  if (rng.bool(0.2)) labels['legacy'] = 'true';
  if (rng.bool(0.3)) labels['acme.example/release'] = `2024.${rng.int(1, 12)}`;
  const annotations: Record<string, string> = { 'git-sha': rng.hex(40) };
  if (rng.bool(0.3)) annotations['build-url'] = `https://ci.acme.example/builds/${1000 + ordinal}`;
  return { labels, annotations };
}

function buildBitsPackage(
  rng: SeededRandom,
  spec: SeedApp,
  app: AppRecord,
  state: PackageState,
  ordinal: number,
): BitsPackage {
  const buildpack = spec.lifecycle.type === 'buildpack' ? spec.lifecycle.buildpack : 'ruby_buildpack';
  const { createdAt, updatedAt } = packageTimestamps(rng, app);
  const pkg: BitsPackage = {
    guid: rng.uuid(),
    seq: 0,
    type: 'bits',
    appGuid: app.guid,
    state,
    createdAt,
    updatedAt,
    metadata: packageMetadata(rng, spec, ordinal),
    checksum: { type: 'sha256', value: null },
    error: null,
    bits: null,
  };
  if (state === 'READY') {
    pkg.bits = generateAppArchive(spec.name, buildpack, ordinal);
    // Legacy packages (hashed before CC stored sha256) present a sha1 checksum (`PackageModel#checksum_info`).
    const legacy = rng.bool(0.08);
    pkg.checksum = legacy ? { type: 'sha1', value: sha1Hex(pkg.bits) } : { type: 'sha256', value: sha256Hex(pkg.bits) };
  } else if (state === 'EXPIRED') {
    // The bits are gone from the blobstore; the hash recorded at upload stays.
    pkg.checksum.value = rng.hex(64);
  } else if (state === 'FAILED') {
    pkg.error = new CfApiError('AppBitsUploadInvalid', 'Invalid zip archive.').message;
  }
  return pkg;
}

function buildDockerPackage(rng: SeededRandom, profile: SeedProfile, spec: SeedApp, app: AppRecord): DockerPackage {
  if (spec.lifecycle.type !== 'docker') throw new Error(`seed: ${spec.name} is not a docker app`);
  const { createdAt, updatedAt } = packageTimestamps(rng, app);
  const withCredentials = !spec.lifecycle.repository.startsWith('library/') && rng.bool(0.6);
  return {
    guid: rng.uuid(),
    seq: 0,
    type: 'docker',
    appGuid: app.guid,
    // Docker packages are READY from creation (`PackageCreate#get_package_state`).
    state: 'READY',
    createdAt,
    updatedAt,
    metadata: packageMetadata(rng, spec, 0),
    image: imageFor(rng, spec.lifecycle.repository, spec.lifecycle.catalogued),
    username: withCredentials ? rng.pick(profile.registryUsers) : null,
    password: withCredentials ? `${SEED_SECRET_MARKER}${rng.hex(20)}` : null,
  };
}

function imageFor(rng: SeededRandom, repositoryName: string, catalogued: boolean): string {
  if (!catalogued) return `${repositoryName}:${rng.pick(UNCATALOGUED_TAGS)}`;
  const repository = CATALOG_REPOSITORIES.find((r) => r.name === repositoryName);
  if (!repository) throw new Error(`seed: ${repositoryName} is not a repository of shared/catalog.ts`);
  return imageReferenceOf(repository, rng.pick(repository.tags));
}
