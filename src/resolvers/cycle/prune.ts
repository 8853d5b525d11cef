/**
 * What pruning images removes, and the guard on deleting an image in use. Cycle documents the prune request
 * (`{action: "prune", contents: {source_ids}}`, cycle.md §4 row 7) but not whether images that containers use are
 * spared; the gateway reads every image of the sources with `meta=containers_count` and counts an image as in use
 * when its `total` is above 0 (the rule the sandbox's prune follows). An image whose count Cycle does not report is
 * treated as in use: nothing is listed as removable without evidence that it is unused.
 */
import type { Context } from '../../context.js';
import { badUserInput } from '../../errors.js';
import { CYCLE_MAX_PAGE_SIZE, fieldNames, type CycleImage } from '../../upstreams/cycle/index.js';

const WITH_CONTAINERS_COUNT = fieldNames('containersCount');

export interface PrunePlan {
  /** No container uses them: what a prune removes. */
  pruned: CycleImage[];
  /** Containers use them, or Cycle did not say: kept. */
  spared: CycleImage[];
}

export function isInUse(image: CycleImage): boolean {
  // A total Cycle sent unreadable says nothing: the image is spared, as when Cycle did not say.
  const total = image.containersCount?.total;
  return typeof total !== 'number' || total > 0;
}

/** Every image of one source, page after page (Cycle lists end with a short page, cycle.md §2). */
async function imagesOfSource(ctx: Context, sourceId: string): Promise<CycleImage[]> {
  const images: CycleImage[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await ctx.loaders.cycle.listImages(
      { first: CYCLE_MAX_PAGE_SIZE, after },
      { sourceId },
      [],
      WITH_CONTAINERS_COUNT,
    );
    images.push(...page.items);
    if (!page.hasNextPage || page.cursors.length === 0) return images;
    after = page.cursors[page.cursors.length - 1]!;
  }
}

/** The sources' images split into what a prune removes and what it keeps. */
export async function prunePlan(ctx: Context, sourceIds: readonly string[]): Promise<PrunePlan> {
  const perSource = await Promise.all([...new Set(sourceIds)].map((id) => imagesOfSource(ctx, id)));
  const plan: PrunePlan = { pruned: [], spared: [] };
  for (const image of perSource.flat()) (isInUse(image) ? plan.spared : plan.pruned).push(image);
  return plan;
}

/**
 * Refuses, before the delete request, to delete an image that containers use unless `force` is set. An image that
 * does not exist is left for Cycle to answer (404 → NOT_FOUND).
 */
export async function assertImageUnused(ctx: Context, imageId: string, force: boolean): Promise<void> {
  if (force) return;
  const image = await ctx.loaders.cycle.image(WITH_CONTAINERS_COUNT).load(imageId);
  if (!image || !isInUse(image)) return;
  const total = image.containersCount?.total;
  throw badUserInput(
    total === undefined
      ? `Image ${imageId} may be in use (Cycle reported no containers count): pass \`force: true\` to delete it anyway`
      : `Image ${imageId} is used by ${total} container${total === 1 ? '' : 's'}: pass \`force: true\` to delete it anyway`,
    { argument: 'force', reason: 'IMAGE_IN_USE', ...(total === undefined ? {} : { containers: total }) },
  );
}
