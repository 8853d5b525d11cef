/** Images: the `images`/`image` queries and the Image type's fields. */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { CYCLE_MAX_PAGE_SIZE, fieldNames } from '../../upstreams/cycle/index.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context.js';
import type { CycleImage, CycleImageFilter, CycleSort } from '../../upstreams/cycle/index.js';
import type { Page, PageRequest } from '../../upstreams/shared/page.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { selectedFields, selectedNodeFields } from '../lookahead.js';
import { cycleId } from '../validate.js';
import { creatorFor, includedForImage, integrationReader } from './relationships.js';
import { cycleSort } from './sorting.js';
import { entityOrNotFound } from '../entityReference.js';

/** Fields a resolver below asks Cycle for by itself, when the image was read without them. */
const CONTAINERS_COUNT = fieldNames('containersCount');
const STACK_BUILD = fieldNames('stackBuild');

/**
 * A page of images read with what the selection below the connection needs (one upstream request brings it all).
 * Shared by `images` and `ImageSource.images`.
 */
export function listImagesFor(
  ctx: Context,
  info: GraphQLResolveInfo,
  page: PageRequest,
  filter: CycleImageFilter,
  sort: CycleSort[],
): Promise<Page<CycleImage>> {
  const fields = selectedNodeFields(info, 'ImageConnection', 'ImageEdge', 'Image');
  return ctx.loaders.cycle.listImages(page, filter, sort, fields);
}

export const imageResolvers = {
  Query: {
    images: (_parent, args, ctx, info) => {
      const f = args.filter ?? {};
      const filter = {
        identifier: f.identifier,
        search: f.search,
        states: f.states,
        sourceType: f.sourceType,
        sourceId: f.sourceId ? cycleId(f.sourceId, 'filter.sourceId') : null,
      };
      return resolveConnection(args, CYCLE_MAX_PAGE_SIZE, info, 'ImageConnection', (page) =>
        listImagesFor(ctx, info, page, filter, cycleSort(args.sort)),
      );
    },
    image: (_parent, args, ctx, info) => ctx.loaders.cycle.image(selectedFields(info, 'Image')).load(cycleId(args.id)),
  },
  Image: {
    // async: a bad representation rejects its own entry; a synchronous throw would fail the whole `_entities` list.
    __resolveReference: async (reference, ctx, info) => {
      const id = cycleId(String(reference.id));
      const image = ctx.loaders.cycle.image(selectedFields(info, 'Image')).load(id);
      return entityOrNotFound('Image', { id }, image);
    },
    origin: (image) => image.sourceRef,
    source: (image, _args, ctx, info) => {
      const sourceId = image.sourceRef?.sourceId;
      if (!sourceId) return null;
      const fields = selectedFields(info, 'ImageSource');
      return ctx.loaders.cycle.sourceIfKnown(sourceId, fields) ?? ctx.loaders.cycle.source(fields).load(sourceId);
    },
    creator: (image, _args, ctx, info) =>
      creatorFor(ctx, info, image.creatorRef, (read) => includedForImage(ctx, image, 'creator', read)),
    containersCount: (image, _args, ctx) =>
      image.containersCount ??
      ctx.loaders.cycle
        .image(CONTAINERS_COUNT)
        .load(image.id)
        .then((withMeta) => withMeta?.containersCount ?? null),
    buildLog: (image, _args, ctx) => ctx.loaders.cycle.buildLog.load(image.id),
    stack: async (image, _args, ctx) => {
      const stackId = image.sourceRef?.stackId;
      if (!stackId) return null;
      return (await includedForImage(ctx, image, 'stack', () => ctx.loaders.cycle.stacks.get(stackId))) ?? null;
    },
    stackBuild: async (image, _args, ctx) => {
      if (!image.sourceRef?.stackId) return null;
      const known = ctx.loaders.cycle.stackBuildOfImage.get(image.id);
      if (known) return known;
      // A list page with several builds of one stack cannot tell which is this image's: ask for this image alone.
      await ctx.loaders.cycle.image(STACK_BUILD).load(image.id);
      return ctx.loaders.cycle.stackBuildOfImage.get(image.id) ?? null;
    },
    integration: async (image, _args, ctx) => {
      const ref = image.builderIntegrationId;
      if (!ref) return null;
      return (await includedForImage(ctx, image, 'integration', integrationReader(ctx, ref))) ?? null;
    },
  },
  ImageConnection: connectionResolvers,
} satisfies Resolvers;
