/**
 * The Cycle seed: deterministic per variant (variant 0 is the demo hub: 24 sources, 200+ images; other variants are
 * smaller hubs with their own ids). `generateCycleSeed` is pure: the same (variant, hub) always gives the same data.
 */
import type { JobRecord } from '../jobs.js';
import type {
  BuildLog,
  CreatorDirectory,
  CreatorScope,
  Image,
  ImageSource,
  Integration,
  StateCountSummary,
} from '../wire.js';
import { SeedContext } from './context.js';
import { seedJobHistory } from './history.js';
import { factoryNodePool, seedImagesOf } from './images.js';
import { seedIntegrations, seedPeople, seedStacks, type StackWithBuilds } from './people.js';
import { seedSources, type StackLink } from './sources.js';

export interface CycleSeed {
  creators: CreatorDirectory;
  selfApiKey: CreatorScope;
  integrations: Integration[];
  stacks: StackWithBuilds[];
  sources: ImageSource[];
  stackLinks: Map<string, StackLink>;
  images: Image[];
  stackBuildOfImage: Map<string, string>;
  containersCount: Map<string, StateCountSummary>;
  buildLogs: BuildLog[];
  jobs: JobRecord[];
  /** Every credential the seed's origins carry; each contains `SANDBOX-SECRET-`. */
  secrets: string[];
}

/** How many nodes run the demo hub's factory. */
const FACTORY_NODES = 3;

/** Minimum image count of the demo hub (issue: "at least 200 images over at least 20 sources"). */
const FULL_IMAGE_TARGET = 216;

export function generateCycleSeed(variant: number, hubId: string): CycleSeed {
  const ctx = new SeedContext(variant, hubId);
  const full = variant === 0;
  const people = seedPeople(ctx, full ? 'full' : 'small');
  const owner = people.scopes[0]!;
  const integrations = seedIntegrations(ctx, owner);
  const stacks = seedStacks(ctx, owner, full ? 2 : 1);
  const seededSources = seedSources(ctx, variant, people.scopes, integrations, stacks);

  const counts = seededSources.map(() => (full ? ctx.rng.int(4, 14) : ctx.rng.int(3, 8)));
  const target = full ? FULL_IMAGE_TARGET : 0;
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < target; i++) counts[i % counts.length]! += 1;

  const weighted = weightedCreators(people.scopes);
  const helpers = {
    pickCreator: () => ctx.rng.pick(weighted),
    integrationIdOf: (hybrid: string) => integrations.find((i) => i.id === hybrid || i.identifier === hybrid)?.id,
    factoryNode: factoryNodePool(FACTORY_NODES),
  };
  const seededImages = seededSources.flatMap((s, i) => seedImagesOf(ctx, s, counts[i]!, helpers));
  const images = seededImages.map((s) => s.image);

  return {
    creators: people.directory,
    selfApiKey: people.selfApiKey,
    integrations,
    stacks,
    sources: seededSources.map((s) => s.source),
    stackLinks: new Map(seededSources.flatMap((s) => (s.stackLink ? [[s.source.id, s.stackLink] as const] : []))),
    images,
    stackBuildOfImage: new Map(
      seededImages.flatMap((s) => (s.stackBuildId ? [[s.image.id, s.stackBuildId] as const] : [])),
    ),
    containersCount: new Map(seededImages.map((s) => [s.image.id, s.containersCount])),
    buildLogs: seededImages.flatMap((s) => (s.buildLog ? [s.buildLog] : [])),
    jobs: seedJobHistory(
      ctx,
      images,
      seededSources.map((s) => s.source.id),
      people.selfApiKey,
      full ? 30 : 6,
    ),
    secrets: ctx.secrets,
  };
}

/** Accounts and API keys create most images, then pipelines; the rarer kinds appear a few times. */
function weightedCreators(scopes: readonly CreatorScope[]): CreatorScope[] {
  const weight: Record<CreatorScope['type'], number> = {
    account: 6,
    'api-key': 4,
    'platform-pipeline': 5,
    environment: 1,
    employee: 1,
    visitor: 1,
    platform: 1,
  };
  return scopes.flatMap((scope) => Array.from({ length: weight[scope.type] }, () => scope));
}

const secretsByVariant = new Map<number, readonly string[]>();

/**
 * Every secret string the seed of `variant` carries in its origins (tokens, passwords, private keys, passphrases,
 * provider secrets, upload tokens). Gateway tests sweep their output for these (and for `SANDBOX-SECRET-`).
 * Secrets do not depend on the hub id.
 */
export function cycleSeedSecrets(variant: number): readonly string[] {
  let secrets = secretsByVariant.get(variant);
  if (secrets === undefined) {
    secrets = Object.freeze([...generateCycleSeed(variant, '000000000000000000000000').secrets]);
    secretsByVariant.set(variant, secrets);
  }
  return secrets;
}
