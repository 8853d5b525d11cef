/**
 * The Subscription root: each field watches one resource through the shared polls (subscriptions/sharedPolls.ts),
 * with this caller's credentials. Ids are checked before any upstream request. Each event is one poll's value (or
 * an upstream failure, raised as the field's error); the fields of the value resolve as in a query.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { PollEvent } from '../subscriptions/sharedPolls.js';
import {
  cfJobTarget,
  cycleJobTarget,
  imageTarget,
  packageTarget,
  type WatchTarget,
} from '../subscriptions/watchTargets.js';
import { jobId } from './jobs.js';
import { cfGuid, cycleId } from './validate.js';

function watch<T>(ctx: Context, target: WatchTarget<T>): AsyncIterable<PollEvent<T>> {
  if (!ctx.polls) throw new Error('Subscriptions run only through the subscription transports (subscriptions/)');
  return ctx.polls.watch(target, ctx.upstreamAuth);
}

function eventValue<T>(event: PollEvent<T>): T {
  if ('error' in event) throw event.error;
  return event.value;
}

export const subscriptionResolvers = {
  Subscription: {
    job: {
      subscribe: (_parent, args, ctx) => {
        const job = jobId(args.id, args.platform);
        return watch<unknown>(ctx, job.platform === 'cycle' ? cycleJobTarget(job.id) : cfJobTarget(job.id));
      },
      resolve: eventValue,
    },
    imageState: {
      subscribe: (_parent, args, ctx) => watch(ctx, imageTarget(cycleId(args.id))),
      resolve: eventValue,
    },
    packageState: {
      subscribe: (_parent, args, ctx) => watch(ctx, packageTarget(cfGuid(args.guid))),
      resolve: eventValue,
    },
  },
} satisfies Resolvers;
