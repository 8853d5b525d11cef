/** Images: the `images`/`image` queries and the Image type's fields. */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { CYCLE_MAX_PAGE_SIZE } from '../../upstreams/cycle/index.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context.js';
import type { CycleImage, CycleImageFilter, CycleSort } from '../../upstreams/cycle/index.js';
import type { Page, PageRequest } from '../../upstreams/shared/page.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { selectedFields, selectedNodeFields, selectsOnlyIdentity } from '../lookahead.js';
import { cycleId } from '../validate.js';
import { cycleSort } from './sorting.js';
import { entityOrNotFound } from '../entityReference.js';

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
    source: (image, _args, ctx, info) => ctx.loaders.cycle.sourceOfImage(image, selectedFields(info, 'ImageSource')),
    creator: (image, _args, ctx, info) => ctx.loaders.cycle.creatorOfImage(image, selectsOnlyIdentity(info)),
    containersCount: (image, _args, ctx) => ctx.loaders.cycle.containersCountOfImage(image),
    buildLog: (image, _args, ctx) => ctx.loaders.cycle.buildLog.load(image.id),
    stack: (image, _args, ctx) => ctx.loaders.cycle.stackOfImage(image),
    stackBuild: (image, _args, ctx) => ctx.loaders.cycle.stackBuildOfImage(image),
    integration: (image, _args, ctx) => ctx.loaders.cycle.integrationOfImage(image),
  },
  ImageConnection: connectionResolvers,
} satisfies Resolvers;
