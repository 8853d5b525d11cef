/**
 * Every Cloud Foundry package write (cf-v3-packages.md §4): typed inputs in, packages or jobs out. Guids are checked
 * before any request; registry passwords go out to CF and never come back (CF answers `***`, the graph a boolean).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import { badUserInput } from '../../errors.js';
import { isCfPackageBusy, type CfPackage } from '../../upstreams/cf/index.js';
import { awaitUpstream } from '../jobs.js';
import { cfGuid } from '../validate.js';
import { packageCreate, packageUpdate } from './inputs.js';
import { cfJobAfter } from './jobs.js';

/** The package after waiting up to `awaitMs` for background work on it to end, polling `GET /v3/packages/:guid`. */
function settledPackage(ctx: Context, pkg: CfPackage, requestedWaitMs: number | null | undefined): Promise<CfPackage> {
  return awaitUpstream(
    ctx,
    requestedWaitMs,
    () => ctx.loaders.cf.freshPackage(pkg.guid),
    (value) => !isCfPackageBusy(value),
    pkg,
  );
}

export const cfMutationResolvers = {
  Mutation: {
    createPackage: (_parent, { input }, ctx) => {
      const route = ctx.config.cfLegacyAppPackagesRoute ? 'app-packages' : 'packages';
      return ctx.upstreams.cf.createPackage(packageCreate(input, route), route);
    },
    updatePackage: (_parent, args, ctx) => ctx.upstreams.cf.updatePackage(cfGuid(args.guid), packageUpdate(args.input)),
    deletePackage: async (_parent, args, ctx) =>
      cfJobAfter(ctx, await ctx.upstreams.cf.deletePackage(cfGuid(args.guid)), args.awaitMs),
    copyPackage: async (_parent, args, ctx) => {
      const copy = await ctx.upstreams.cf.copyPackage(
        cfGuid(args.sourceGuid, 'sourceGuid'),
        cfGuid(args.appGuid, 'appGuid'),
      );
      return settledPackage(ctx, copy, args.awaitMs);
    },
    uploadPackageBits: async (_parent, args, ctx) => {
      const guid = cfGuid(args.guid);
      if (!args.bits && !args.resources)
        throw badUserInput('Send `bits` (a zip), `resources`, or both', { argument: 'bits' });
      // Cloud Foundry takes the zip in one form field: read whole, within UPLOAD_MAX_FILE_BYTES.
      const zip = args.bits ? await args.bits.buffer() : null;
      const processing = await ctx.upstreams.cf.uploadBits(guid, { zip, resources: args.resources ?? null });
      return settledPackage(ctx, processing, args.awaitMs);
    },
  },
} satisfies Resolvers;
