/**
 * From selections to Cycle `include`/`meta` values, and relationship reads that use what was included. A resource
 * read without the include a field needs is read once more with it (through the loaders, so at most once per id).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context.js';
import type {
  CreatorRef,
  CycleCreator,
  CycleFetch,
  CycleImage,
  CycleImageInclude,
  CycleImageSource,
  CycleRelated,
  CycleSourceInclude,
} from '../../upstreams/cycle/index.js';
import { selectedFields, selectsOnlyIdentity, type SelectedFields } from '../lookahead.js';

const IMAGE_INCLUDES: Record<string, CycleImageInclude> = {
  source: 'sources',
  creator: 'creators',
  stack: 'stacks',
  stackBuild: 'stack_builds',
  integration: 'integrations',
};
const IMAGE_META: Record<string, string> = { containersCount: 'containers_count' };
const SOURCE_INCLUDES: Record<string, CycleSourceInclude> = { creator: 'creators', integration: 'integrations' };
const SOURCE_META: Record<string, string> = { imagesCount: 'images_count' };
/**
 * Includes the graph can do without when the client selects only the related resource's `id` and `__typename`: a
 * creator's kind and id are in the resource's own `creator` reference (see `creatorOrBare`).
 */
const ANSWERED_BY_REFERENCE: ReadonlySet<string> = new Set(['creators']);

/** Fetch profiles by selection (look-ahead hands out one object per field and document): built once, not per item. */
const profiles = new WeakMap<SelectedFields, WeakMap<object, CycleFetch<string>>>();

function fetchFor<I extends string>(
  fields: SelectedFields,
  includes: Record<string, I>,
  meta: Record<string, string>,
): CycleFetch<I> {
  let byTable = profiles.get(fields);
  if (!byTable) profiles.set(fields, (byTable = new WeakMap()));
  let fetch = byTable.get(includes) as CycleFetch<I> | undefined;
  if (!fetch) {
    fetch = buildFetch(fields, includes, meta);
    byTable.set(includes, fetch);
  }
  return fetch;
}

function buildFetch<I extends string>(
  fields: SelectedFields,
  includes: Record<string, I>,
  meta: Record<string, string>,
): CycleFetch<I> {
  const fetch: CycleFetch<I> = {};
  const include = [...fields].flatMap((f) =>
    includes[f] && needsInclude(fields, f, includes[f]) ? [includes[f]] : [],
  );
  const metaValues = [...fields].flatMap((f) => (meta[f] ? [meta[f]] : []));
  if (include.length > 0) fetch.include = include;
  if (metaValues.length > 0) fetch.meta = metaValues;
  return fetch;
}

function needsInclude(fields: SelectedFields, field: string, include: string): boolean {
  return !(fields.identityOnly.has(field) && ANSWERED_BY_REFERENCE.has(include));
}

/** Whether `creator` needs Cycle's `include=creators`: not when only the creator's kind and id are selected. */
export function needsCreatorDetails(fields: SelectedFields): boolean {
  return fields.has('creator') && needsInclude(fields, 'creator', 'creators');
}

/** What to ask Cycle for, given the fields selected on images. */
export function imageFetchFor(fields: SelectedFields): CycleFetch<CycleImageInclude> {
  return fetchFor(fields, IMAGE_INCLUDES, IMAGE_META);
}

/** What to ask Cycle for, given the fields selected on image sources. */
export function sourceFetchFor(fields: SelectedFields): CycleFetch<CycleSourceInclude> {
  return fetchFor(fields, SOURCE_INCLUDES, SOURCE_META);
}

/** The fetch profile for the ImageSource selected below the current field. */
export function sourceFetchBelow(info: GraphQLResolveInfo): CycleFetch<CycleSourceInclude> {
  return sourceFetchFor(selectedFields(info, 'ImageSource'));
}

/** The fetch profile for the Image selected below the current field. */
export function imageFetchBelow(info: GraphQLResolveInfo): CycleFetch<CycleImageInclude> {
  return imageFetchFor(selectedFields(info, 'Image'));
}

/**
 * A related resource of an image that Cycle delivers through `include`: read from what the request already holds,
 * or, when the image was read without that include, from one more read of the image with it.
 */
export function includedForImage<T>(
  ctx: Context,
  image: CycleImage,
  include: CycleImageInclude,
  read: () => T | undefined,
): MaybePromise<T | undefined> {
  const known = read();
  // Answered without a promise when the data is at hand: these resolvers run once per item of a list.
  if (known !== undefined || ctx.loaders.cycle.wasIncluded(image, include)) return known;
  return ctx.loaders.cycle
    .image({ include: [include] })
    .load(image.id)
    .then(read);
}

/**
 * Reads the integration a builder reference names from what the request holds: `builder.integration_id` may be an
 * id or an identifier (cycle.md §5, `integrations:identifiers`).
 */
export function integrationReader(ctx: Context, ref: string): () => CycleRelated | undefined {
  const integrations = ctx.loaders.cycle;
  return () =>
    integrations.integrations.get(ref) ??
    integrations.integrations.get(integrations.integrationIdentifiers.get(ref) ?? '');
}

/** The same for an image source. */
export function includedForSource<T>(
  ctx: Context,
  source: CycleImageSource,
  include: CycleSourceInclude,
  read: () => T | undefined,
): MaybePromise<T | undefined> {
  const known = read();
  if (known !== undefined || ctx.loaders.cycle.wasIncluded(source, include)) return known;
  return ctx.loaders.cycle
    .source({ include: [include] })
    .load(source.id)
    .then(read);
}

/**
 * The `creator` field of an image or a source: from the resource's own reference when only the creator's kind and id
 * are selected (whether or not Cycle included it), else through `readIncluded` (includedForImage/includedForSource).
 */
export function creatorFor(
  ctx: Context,
  info: GraphQLResolveInfo,
  ref: CreatorRef | null,
  readIncluded: (read: () => CycleCreator | undefined) => MaybePromise<CycleCreator | undefined>,
): MaybePromise<CycleCreator | null> {
  if (!ref) return null;
  if (selectsOnlyIdentity(info)) return creatorOrBare(ctx, ref);
  return thenMaybe(
    readIncluded(() => ctx.loaders.cycle.creatorOf(ref)),
    () => creatorOrBare(ctx, ref),
  );
}

export type MaybePromise<T> = T | Promise<T>;

/** `fn(value)`, synchronously when `value` is not a promise. */
export function thenMaybe<T, R>(value: MaybePromise<T>, fn: (resolved: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * A creator as the graph shows it: the included resource when Cycle sent one, else just its kind and id (Cycle
 * includes no details for platform creators).
 */
export function creatorOrBare(ctx: Context, ref: CreatorRef): CycleCreator {
  return ctx.loaders.cycle.creatorOf(ref) ?? { kind: ref.kind, id: ref.id, name: null, email: null, identifier: null };
}
