/**
 * Droplets staged from some of the seed's READY packages (cf-v3-packages.md §4 "Droplets for a package"): buildpack
 * droplets for bits packages, docker droplets (lifecycle data `{}`, `image` set) for docker packages.
 */
import type { SeededRandom } from '../shared/random.js';
import type { DetectedBuildpack, DropletRecord, DropletState, Metadata, PackageRecord } from './models.js';

const DROPLET_STATES_BY_WEIGHT: readonly DropletState[] = [
  'STAGED',
  'STAGED',
  'STAGED',
  'STAGED',
  'STAGED',
  'FAILED',
  'EXPIRED',
];

/** What staging detected, and the web start command, per system buildpack. */
const STAGING_RESULT: Record<string, { detected: DetectedBuildpack; web: string }> = {
  ruby_buildpack: {
    detected: { name: 'ruby_buildpack', detect_output: 'ruby', version: '1.10.12', buildpack_name: 'ruby' },
    web: 'bundle exec rackup config.ru -p $PORT',
  },
  nodejs_buildpack: {
    detected: { name: 'nodejs_buildpack', detect_output: 'nodejs', version: '1.8.21', buildpack_name: 'nodejs' },
    web: 'npm start',
  },
  python_buildpack: {
    detected: { name: 'python_buildpack', detect_output: 'python', version: '1.8.20', buildpack_name: 'python' },
    web: 'gunicorn app:app',
  },
  go_buildpack: {
    detected: { name: 'go_buildpack', detect_output: 'go', version: '1.10.15', buildpack_name: 'go' },
    web: './bin/app',
  },
  java_buildpack: {
    detected: { name: 'java_buildpack', detect_output: 'java', version: 'v4.66', buildpack_name: 'java' },
    web: 'java -jar app.jar',
  },
};

/** Droplets for about half the READY packages, 1–3 each, created after their package. */
export function seedDroplets(
  rng: SeededRandom,
  packages: readonly PackageRecord[],
  buildpackOfApp: (appGuid: string) => string,
  nextSeq: () => number,
): DropletRecord[] {
  const droplets: DropletRecord[] = [];
  for (const pkg of packages) {
    if (pkg.state !== 'READY' || !rng.bool(0.5)) continue;
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++) droplets.push(buildDroplet(rng, pkg, buildpackOfApp(pkg.appGuid)));
  }
  droplets.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const droplet of droplets) droplet.seq = nextSeq();
  return droplets;
}

function buildDroplet(rng: SeededRandom, pkg: PackageRecord, buildpack: string): DropletRecord {
  const createdAt = rng.isoBetween(new Date(Date.parse(pkg.createdAt) + 60_000), 20 * 86_400_000);
  const state = rng.pick(DROPLET_STATES_BY_WEIGHT);
  const base = {
    guid: rng.uuid(),
    seq: 0,
    createdAt,
    updatedAt: rng.isoBetween(new Date(createdAt), 5 * 60_000),
    metadata: { labels: rng.bool(0.5) ? { staged: 'true' } : {}, annotations: {} } as Metadata,
    packageGuid: pkg.guid,
    appGuid: pkg.appGuid,
    state,
    error: state === 'FAILED' ? 'StagingError - Staging error: staging failed' : null,
  };
  if (pkg.type === 'docker') {
    return {
      ...base,
      lifecycle: 'docker',
      checksum: null,
      buildpacks: null,
      stack: null,
      image: pkg.image,
      processTypes: { web: '' },
      executionMetadata: JSON.stringify({ cmd: [], ports: [{ Port: 8080, Protocol: 'tcp' }] }),
    };
  }
  const staging = STAGING_RESULT[buildpack] ?? STAGING_RESULT.ruby_buildpack!;
  return {
    ...base,
    lifecycle: 'buildpack',
    checksum: state === 'STAGED' ? { type: 'sha256', value: rng.hex(64) } : null,
    buildpacks: state === 'FAILED' ? [] : [staging.detected],
    stack: 'cflinuxfs4',
    image: null,
    processTypes: { web: staging.web },
    executionMetadata: '',
  };
}
