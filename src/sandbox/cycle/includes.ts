/**
 * `includes` and `meta` (cycle.md §2, §5 "Includes"): `includes` appears only when `include` was sent; each map is
 * keyed by resource id and holds each resource once; creators are grouped by kind; `<kind>:identifiers` maps each
 * included resource's identifier to its ids (a builder's `integration_id` may be an identifier). Meta values are
 * injected into each data item as the spec's objects: `containers_count` (StateCountSummary) on images,
 * `images_count` (ImageSourceMeta) on sources.
 */
import type { CycleStore } from './store.js';
import type { CreatorScope, Image, ImageSource, ImagesCount, Job } from './wire.js';
import { zeroContainersCount } from './imageContent.js';

export const IMAGE_INCLUDES = ['creators', 'stack_builds', 'stacks', 'sources', 'integrations'] as const;
export const SOURCE_INCLUDES = ['creators', 'integrations'] as const;
export const JOB_INCLUDES = ['creators'] as const;

/** `CreatorScope.type` → its `CreatorInclude` group; platform creators have no group (I, cycle.md §5). */
const CREATOR_GROUP: Partial<Record<CreatorScope['type'], keyof CycleStore['creators']>> = {
  account: 'accounts',
  employee: 'employees',
  visitor: 'visitors',
  environment: 'environments',
  'api-key': 'api_keys',
};

type IncludeMap = Record<string, unknown>;

function creatorsOf(store: CycleStore, scopes: Iterable<CreatorScope | undefined>): Record<string, IncludeMap> {
  const groups: Record<string, IncludeMap> = {
    accounts: {},
    employees: {},
    visitors: {},
    environments: {},
    api_keys: {},
  };
  for (const scope of scopes) {
    const group = scope && CREATOR_GROUP[scope.type];
    if (group === undefined) continue;
    const creator = store.creators[group].get(scope!.id);
    if (creator !== undefined) groups[group]![scope!.id] = creator;
  }
  return groups;
}

/** A `{id: resource}` map and its `identifiers` companion for resources found by id. */
function byId<T extends { id: string; identifier?: string }>(
  found: Iterable<T | undefined>,
): { map: IncludeMap; identifiers: Record<string, string[]> } {
  const map: IncludeMap = {};
  const identifiers: Record<string, string[]> = {};
  for (const resource of found) {
    if (resource === undefined || resource.id in map) continue;
    map[resource.id] = resource;
    if (resource.identifier !== undefined) (identifiers[resource.identifier] ??= []).push(resource.id);
  }
  return { map, identifiers };
}

export function imageIncludes(
  store: CycleStore,
  images: readonly Image[],
  include: ReadonlySet<string>,
): Record<string, unknown> {
  const includes: Record<string, unknown> = {};
  if (include.has('creators'))
    includes.creators = creatorsOf(
      store,
      images.map((i) => i.creator),
    );
  if (include.has('sources')) {
    const { map, identifiers } = byId(
      images.map((i) => (i.source ? store.sources.get(i.source.details.id) : undefined)),
    );
    includes.sources = map;
    includes['sources:identifiers'] = identifiers;
  }
  if (include.has('stacks')) {
    const { map, identifiers } = byId(
      images.map((i) => (i.source?.details.stack_id ? store.stacks.get(i.source.details.stack_id) : undefined)),
    );
    includes.stacks = map;
    includes['stacks:identifiers'] = identifiers;
  }
  if (include.has('stack_builds')) {
    includes.stack_builds = byId(images.map((i) => store.stackBuilds.get(store.stackBuildOfImage.get(i.id) ?? ''))).map;
  }
  if (include.has('integrations')) {
    const { map, identifiers } = byId(
      images.map((i) => (i.builder ? store.integration(i.builder.integration_id) : undefined)),
    );
    includes.integrations = map;
    includes['integrations:identifiers'] = identifiers;
  }
  return includes;
}

export function sourceIncludes(
  store: CycleStore,
  sources: readonly ImageSource[],
  include: ReadonlySet<string>,
): Record<string, unknown> {
  const includes: Record<string, unknown> = {};
  if (include.has('creators'))
    includes.creators = creatorsOf(
      store,
      sources.map((s) => s.creator),
    );
  if (include.has('integrations')) {
    const { map, identifiers } = byId(
      sources.map((s) => (s.builder?.integration_id ? store.integration(s.builder.integration_id) : undefined)),
    );
    includes.integrations = map;
    includes['integrations:identifiers'] = identifiers;
  }
  return includes;
}

export function jobIncludes(
  store: CycleStore,
  jobs: readonly Job[],
  include: ReadonlySet<string>,
): Record<string, unknown> {
  return include.has('creators')
    ? {
        creators: creatorsOf(
          store,
          jobs.map((j) => j.creator),
        ),
      }
    : {};
}

/** `{data, includes?}`: `includes` only when `include` was sent (cycle.md §2). */
export function withIncludes(
  data: unknown,
  include: ReadonlySet<string>,
  build: () => Record<string, unknown>,
): { data: unknown; includes?: Record<string, unknown> } {
  return include.size === 0 ? { data } : { data, includes: build() };
}

export function imageWithMeta(store: CycleStore, image: Image, meta: ReadonlySet<string>): Image {
  if (!meta.has('containers_count')) return image;
  return { ...image, meta: { containers_count: store.containersCount.get(image.id) ?? zeroContainersCount() } };
}

const COUNTED_STATES = ['new', 'downloading', 'building', 'verifying', 'saving', 'live', 'deleting'] as const;

/** `images_count` of every source in one pass over the hub's images (a few hundred). */
export function imagesCountBySource(store: CycleStore): Map<string, ImagesCount> {
  const counts = new Map<string, ImagesCount>();
  for (const image of store.images.values()) {
    const sourceId = image.source?.details.id;
    if (sourceId === undefined) continue;
    let count = counts.get(sourceId);
    if (count === undefined) {
      count = {
        total: 0,
        state: { new: 0, downloading: 0, building: 0, verifying: 0, saving: 0, live: 0, deleting: 0 },
      };
      counts.set(sourceId, count);
    }
    count.total += 1;
    const state = image.state.current;
    if ((COUNTED_STATES as readonly string[]).includes(state))
      count.state[state as (typeof COUNTED_STATES)[number]] += 1;
  }
  return counts;
}

export function sourcesWithMeta(
  store: CycleStore,
  sources: readonly ImageSource[],
  meta: ReadonlySet<string>,
): ImageSource[] {
  if (!meta.has('images_count')) return [...sources];
  const counts = imagesCountBySource(store);
  const empty = (): ImagesCount => ({
    total: 0,
    state: { new: 0, downloading: 0, building: 0, verifying: 0, saving: 0, live: 0, deleting: 0 },
  });
  return sources.map((s) => ({ ...s, meta: { images_count: counts.get(s.id) ?? empty() } }));
}
