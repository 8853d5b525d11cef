/**
 * Images of the seed, with their `containers_count` meta and build logs. Most are `live`; some are `new` (created but
 * never imported), some caught mid-import, a few `deleting`. Unset timestamps are Go's zero time (cycle.md §1).
 */
import { buildLogText, configProfile, EMPTY_CONFIG, zeroContainersCount } from '../imageContent.js';
import type { BuildLog, CreatorScope, Image, ImageSourceRef, ImageStateName, StateCountSummary } from '../wire.js';
import { ZERO_TIME } from '../wire.js';
import type { SeedContext } from './context.js';
import type { SeededSource } from './sources.js';

export interface SeededImage {
  image: Image;
  containersCount: StateCountSummary;
  buildLog: BuildLog | undefined;
  stackBuildId: string | undefined;
}

const IMPORTED: ReadonlySet<ImageStateName> = new Set(['live', 'verifying', 'saving', 'deleting']);

function pickState(ctx: SeedContext, isUpload: boolean): ImageStateName {
  const roll = ctx.rng.next();
  if (roll < 0.78) return 'live';
  if (roll < 0.84) return isUpload ? 'uploading' : 'new';
  if (roll < 0.87) return 'downloading';
  if (roll < 0.9) return 'building';
  if (roll < 0.92) return 'verifying';
  if (roll < 0.94) return 'saving';
  if (roll < 0.97) return 'deleting';
  return 'live';
}

function containersCountFor(ctx: SeedContext, state: ImageStateName): StateCountSummary {
  const count = zeroContainersCount();
  if (state !== 'live') return count;
  count.state.running = ctx.rng.int(0, 6);
  count.state.stopped = ctx.rng.int(0, 2);
  count.state.deleted = ctx.rng.bool(0.1) ? 1 : 0;
  count.total = count.state.running + count.state.stopped + count.state.deleted;
  count.available = count.total - count.state.deleted;
  return count;
}

export interface ImageSeedHelpers {
  pickCreator(): CreatorScope;
  /** The integration ID a builder's `HybridIdentifier` names (an image's builder always names the ID). */
  integrationIdOf(hybrid: string): string | undefined;
  /** The factory node that processed an image, given a freshly drawn node id (see `factoryNodePool`). */
  factoryNode(drawn: string): string;
}

/**
 * A hub has a few nodes that run its factory, so many images name the same `factory.node_id`: the first `size` ids
 * drawn become those nodes and later images reuse them in turn. Every image still draws its id, which keeps the rest
 * of the seed the same bytes as before the pool existed.
 */
export function factoryNodePool(size: number): (drawn: string) => string {
  const nodes: string[] = [];
  let next = 0;
  return (drawn) => {
    if (nodes.length < size) {
      nodes.push(drawn);
      return drawn;
    }
    return nodes[next++ % size]!;
  };
}

export function seedImagesOf(
  ctx: SeedContext,
  seeded: SeededSource,
  count: number,
  helpers: ImageSeedHelpers,
): SeededImage[] {
  const { source } = seeded;
  const label = source.identifier.split('-')[0] ?? source.identifier;
  const times = Array.from({ length: count }, () => ctx.timeAfter(seeded.createdMs, ctx.endMs - seeded.createdMs)).sort(
    (a, b) => a - b,
  );
  return times.map((createdMs, n) => {
    const tag = seeded.tags.length > 0 ? seeded.tags[n % seeded.tags.length]! : undefined;
    const state = source.origin.type === 'none' ? 'live' : pickState(ctx, source.origin.type === 'cycle-upload');
    const imported = IMPORTED.has(state);
    const updatedMs = createdMs + ctx.rng.int(30, 900) * 1000;
    const size = imported ? ctx.rng.int(8, 900) * 1_048_576 + ctx.rng.int(0, 1_048_575) : 0;
    const id = ctx.idAt(createdMs);
    const sourceRef: ImageSourceRef = {
      type: source.type,
      details: {
        id: source.id,
        origin: source.origin,
        ...(seeded.stackLink ? { stack_id: seeded.stackLink.stackId, containers: seeded.stackLink.containers } : {}),
      },
      ...(tag !== undefined && seeded.repositoryPath !== undefined
        ? { override: { target: `${seeded.repositoryPath}:${tag}` } }
        : {}),
    };
    const builderIntegration = source.builder?.integration_id
      ? helpers.integrationIdOf(source.builder.integration_id)
      : undefined;
    const name = tag === undefined ? `${label} build ${n + 1}` : `${label}:${tag} #${n + 1}`;
    const image: Image = {
      id,
      hub_id: ctx.hubId,
      name,
      size,
      about: { description: n === count - 1 ? `Latest ${label} image` : null },
      backend: imported
        ? { provider: 'cycle', size, file_name: `${id}.tar`, file_id: ctx.idAt(updatedMs) }
        : { provider: '', size: 0, file_name: '', file_id: '' },
      requires: { nvidia_gpu: label === 'analytics' && n % 2 === 0 },
      build:
        source.origin.type === 'docker-file'
          ? { args: { NODE_ENV: 'production', BUILD_NUMBER: String(n + 1) }, use_disk: n % 5 === 0 }
          : null,
      builder: builderIntegration === undefined ? null : { integration_id: builderIntegration },
      config: imported ? configProfile(n + label.length) : EMPTY_CONFIG,
      source: sourceRef,
      creator: helpers.pickCreator(),
      factory: imported
        ? {
            node_id: helpers.factoryNode(ctx.idAt(createdMs)),
            cached: ctx.iso(updatedMs),
            acknowledged: ctx.iso(createdMs + 5000),
          }
        : null,
      state: { current: state, changed: ctx.iso(imported ? updatedMs : createdMs) },
      events: { created: ctx.iso(createdMs), updated: ctx.iso(imported ? updatedMs : createdMs), deleted: ZERO_TIME },
    };
    const hasLog = imported && (source.origin.type === 'docker-file' || ctx.rng.bool(0.4));
    const buildLog: BuildLog | undefined = hasLog
      ? {
          id: ctx.idAt(updatedMs),
          hub_id: ctx.hubId,
          image_id: id,
          log: buildLogText(name, source.origin, size),
          events: { created: ctx.iso(createdMs + 5000), updated: ctx.iso(updatedMs), deleted: ZERO_TIME },
        }
      : undefined;
    return {
      image,
      containersCount: containersCountFor(ctx, state),
      buildLog,
      stackBuildId: seeded.stackLink?.buildId,
    };
  });
}
