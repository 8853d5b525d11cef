/**
 * Image sources of the seed: every origin kind, the three source types (`direct`, `stack-build`, `bucket`), builders
 * named by integration ID or by identifier (`HybridIdentifier`), with and without ACLs.
 */
import { slugify } from '../ids.js';
import type { CreatorScope, ImageSource, ImageSourceType, Integration } from '../wire.js';
import { ZERO_TIME } from '../wire.js';
import type { SeedContext } from './context.js';
import { OriginFactory, type OriginRecipe } from './origins.js';
import type { StackWithBuilds } from './people.js';

/** A source a stack build produced: the stack, the build and the containers whose images it holds. */
export interface StackLink {
  stackId: string;
  buildId: string;
  containers: string[];
}

export interface SeededSource {
  source: ImageSource;
  tags: readonly string[];
  repositoryPath: string | undefined;
  stackLink: StackLink | undefined;
  createdMs: number;
}

type PlanEntry = [OriginRecipe, ImageSourceType];

/** Variant 0: 24 sources covering every recipe and source type. */
const FULL_PLAN: readonly PlanEntry[] = [
  ['docker-hub-public', 'direct'],
  ['docker-hub-auth', 'direct'],
  ['docker-registry-token', 'direct'],
  ['docker-registry-password', 'direct'],
  ['oci-user', 'direct'],
  ['oci-provider', 'direct'],
  ['oci-webhook', 'direct'],
  ['oci-anonymous', 'direct'],
  ['dockerfile-http', 'direct'],
  ['dockerfile-ssh', 'direct'],
  ['dockerfile-public', 'direct'],
  ['cycle-upload', 'direct'],
  ['docker-registry-token', 'direct'],
  ['oci-user', 'direct'],
  ['dockerfile-http', 'direct'],
  ['docker-hub-auth', 'direct'],
  ['docker-registry-password', 'stack-build'],
  ['oci-user', 'stack-build'],
  ['dockerfile-ssh', 'stack-build'],
  ['docker-registry-token', 'stack-build'],
  ['dockerfile-targz', 'bucket'],
  ['cycle-upload', 'bucket'],
  ['none', 'bucket'],
  ['docker-hub-public', 'bucket'],
];

/** Other variants: a smaller hub, still with several origin kinds and all three source types. */
const SMALL_PLAN: readonly PlanEntry[] = [
  ['docker-hub-auth', 'direct'],
  ['docker-registry-token', 'direct'],
  ['oci-provider', 'direct'],
  ['dockerfile-ssh', 'direct'],
  ['oci-user', 'stack-build'],
  ['cycle-upload', 'bucket'],
];

export function seedSources(
  ctx: SeedContext,
  variant: number,
  creators: readonly CreatorScope[],
  integrations: readonly Integration[],
  stacks: readonly StackWithBuilds[],
): SeededSource[] {
  const plan = variant === 0 ? FULL_PLAN : SMALL_PLAN;
  const origins = new OriginFactory(ctx, variant);
  let stackBuildIndex = 0;
  return plan.map(([recipe, type], index) => {
    const createdMs = ctx.timeEarly(0.3);
    const seeded = origins.create(recipe, createdMs);
    const isDockerfile = recipe.startsWith('dockerfile');
    const integration = integrations[index % integrations.length];
    // HybridIdentifier: some builders name their integration by ID, others by identifier (cycle.md §5 "Includes").
    const builder =
      isDockerfile && integration
        ? { integration_id: index % 2 === 0 ? integration.id : integration.identifier }
        : null;
    const stackLink = type === 'stack-build' ? linkToStack(stacks, stackBuildIndex++) : undefined;
    const source: ImageSource = {
      id: ctx.idAt(createdMs),
      identifier: slugify(seeded.name),
      type,
      hub_id: ctx.hubId,
      name: seeded.name,
      about: { description: index % 3 === 0 ? null : `Images of ${seeded.name}` },
      origin: seeded.origin,
      builder,
      creator: creators[index % Math.min(creators.length, 5)]!,
      acl:
        index % 4 === 1
          ? { roles: { [ctx.idAt(createdMs)]: { view: true, modify: index % 8 === 1, manage: false } } }
          : null,
      state: { current: 'live', changed: ctx.iso(createdMs) },
      events: { created: ctx.iso(createdMs), updated: ctx.iso(createdMs + 3_600_000), deleted: ZERO_TIME },
    };
    return { source, tags: seeded.tags, repositoryPath: seeded.repositoryPath, stackLink, createdMs };
  });
}

function linkToStack(stacks: readonly StackWithBuilds[], index: number): StackLink | undefined {
  const entry = stacks[index % Math.max(1, stacks.length)];
  if (entry === undefined) return undefined;
  const build = entry.builds[Math.floor(index / stacks.length) % entry.builds.length]!;
  return {
    stackId: entry.stack.id,
    buildId: build.id,
    containers: [entry.containers[index % entry.containers.length]!],
  };
}
