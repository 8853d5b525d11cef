/** Every Cycle write (cycle.md §4): typed inputs in, domain models or jobs out. Ids are checked before any request. */
import type { GraphQLResolveInfo } from 'graphql';
import type { MutationUploadImageArgs, Resolvers } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import type { CycleImage } from '../../upstreams/cycle/index.js';
import { awaitUpstream } from '../jobs.js';
import { selectedFields } from '../lookahead.js';
import { awaitMs, cycleId, cycleIds } from '../validate.js';
import { aclInput, createSourceInput, updateSourceInput } from './inputs.js';
import { isCycleImageSettled, isCycleJobTerminal } from '../../upstreams/cycle/index.js';
import { cycleJobAfter } from './jobs.js';
import { assertImageUnused, prunePlan } from './prune.js';

export const cycleMutationResolvers = {
  Mutation: {
    createImage: async (_parent, { input }, ctx) => {
      const cycle = ctx.upstreams.cycle;
      const build =
        input.buildArgs || input.buildUseDisk !== undefined
          ? {
              args: Object.fromEntries((input.buildArgs ?? []).map((kv) => [kv.key, kv.value])),
              useDisk: input.buildUseDisk ?? false,
            }
          : null;
      const override =
        input.overrideTarget || input.overrideTargzUrl
          ? { target: input.overrideTarget, targzUrl: input.overrideTargzUrl }
          : null;
      const image = await cycle.createImage({
        sourceId: cycleId(input.sourceId, 'input.sourceId'),
        name: input.name,
        build,
        override,
      });
      if (!input.import) return { image, importJob: null };
      const importJob = await cycleJobAfter(ctx, await cycle.importImage(image.id), input.awaitMs);
      // After waiting for the import, the image has moved on: read it again so the payload is current.
      const current =
        awaitMs(input.awaitMs, ctx.config.jobAwaitMaxMs) > 0 && importJob !== null && isCycleJobTerminal(importJob)
          ? ((await ctx.loaders.cycle.image().load(image.id)) ?? image)
          : image;
      return { image: current, importJob };
    },
    updateImage: (_parent, { id, input }, ctx) => ctx.upstreams.cycle.updateImage(cycleId(id), { name: input.name }),
    deleteImage: async (_parent, args, ctx) => {
      const id = cycleId(args.id);
      await assertImageUnused(ctx, id, args.force ?? false);
      return cycleJobAfter(ctx, await ctx.upstreams.cycle.deleteImage(id), args.awaitMs);
    },
    uploadImage: (_parent, args, ctx, info) => uploadImage(ctx, args, info),
    importImage: async (_parent, args, ctx) =>
      cycleJobAfter(ctx, await ctx.upstreams.cycle.importImage(cycleId(args.id)), args.awaitMs),
    pruneImages: async (_parent, args, ctx) => {
      const sourceIds = cycleIds(args.sourceIds, 'sourceIds');
      const dryRun = args.dryRun ?? false;
      if (!dryRun) awaitMs(args.awaitMs, ctx.config.jobAwaitMaxMs);
      const plan = await prunePlan(ctx, sourceIds);
      if (dryRun) return { dryRun, ...plan, job: null };
      const job = await cycleJobAfter(ctx, await ctx.upstreams.cycle.pruneImages(sourceIds), args.awaitMs);
      return { dryRun, ...plan, job };
    },
    createImageSource: (_parent, { input }, ctx) => ctx.upstreams.cycle.createSource(createSourceInput(input)),
    updateImageSource: (_parent, { id, input }, ctx) =>
      ctx.upstreams.cycle.updateSource(cycleId(id), updateSourceInput(input)),
    deleteImageSource: async (_parent, args, ctx) =>
      cycleJobAfter(ctx, await ctx.upstreams.cycle.deleteSource(cycleId(args.id)), args.awaitMs),
    updateImageSourceAccess: (_parent, args, ctx) =>
      ctx.upstreams.cycle.updateSourceAccess(cycleId(args.id), aclInput(args.acl) ?? null),
  },
} satisfies Resolvers;

/**
 * `uploadImage`: an OCI tar from the client's multipart upload, streamed to Cycle's factory (upstreams/cycle
 * upload.ts), then the image as Cycle reports it, waited for up to `awaitMs` until it is settled (LIVE, deleted, or
 * an error in its state), as the `imageState` subscription would see it.
 */
async function uploadImage(
  ctx: Context,
  args: MutationUploadImageArgs,
  info: GraphQLResolveInfo,
): Promise<CycleImage | null> {
  const id = cycleId(args.id);
  const waitMs = awaitMs(args.awaitMs, ctx.config.jobAwaitMaxMs);
  // The file streams from the client to the factory as it arrives, within the upload limits (http/uploadedFile.ts).
  await args.file.read((stream) =>
    ctx.upstreams.cycle.uploadImage(id, { filename: stream.filename, stream }, ctx.secrets),
  );
  // No wait: the image as it is now, through the loader (its first read in this request) with what the answer selects.
  if (waitMs === 0) return ctx.loaders.cycle.image(selectedFields(info, 'Image')).load(id);
  const read = async () => (await ctx.upstreams.cycle.getImage(id))?.item ?? null;
  const uploaded = await read();
  return uploaded && awaitUpstream(ctx, args.awaitMs, read, isCycleImageSettled, uploaded);
}
