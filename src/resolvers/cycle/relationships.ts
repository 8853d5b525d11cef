/**
 * Relationship reads that use what Cycle included. A resource read without what a field needs is read once more with
 * it (through the loaders, so at most once per id); which `include` that is, the Cycle folder decides from the field
 * name (upstreams/cycle/fetchPlan.ts).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context.js';
import type {
  CreatorRef,
  CycleCreator,
  CycleImage,
  CycleImageSource,
  CycleRelated,
} from '../../upstreams/cycle/index.js';
import { fieldNames } from '../../upstreams/cycle/index.js';
import { selectsOnlyIdentity } from '../lookahead.js';

/**
 * A related resource of an image (its `field`, e.g. `creator`) that Cycle delivers through `include`: read from what
 * the request already holds, or, when the image was read without it, from one more read of the image with it.
 */
export function includedForImage<T>(
  ctx: Context,
  image: CycleImage,
  field: string,
  read: () => T | undefined,
): MaybePromise<T | undefined> {
  const known = read();
  // Answered without a promise when the data is at hand: these resolvers run once per item of a list.
  if (known !== undefined || ctx.loaders.cycle.imageWasReadFor(image, field)) return known;
  return ctx.loaders.cycle.image(fieldNames(field)).load(image.id).then(read);
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
  field: string,
  read: () => T | undefined,
): MaybePromise<T | undefined> {
  const known = read();
  if (known !== undefined || ctx.loaders.cycle.sourceWasReadFor(source, field)) return known;
  return ctx.loaders.cycle.source(fieldNames(field)).load(source.id).then(read);
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
