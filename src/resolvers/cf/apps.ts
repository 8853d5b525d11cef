/** Apps: the `app`/`apps` queries and the App type's fields. By-guid reads batch through `guids=` (loaders/cf.ts). */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { CF_MAX_PAGE_SIZE } from '../../upstreams/cf/index.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { cfGuid } from '../validate.js';
import { appFilter, appPackageFilter, cfOrder } from './inputs.js';
import { entityOrNotFound } from '../entityReference.js';

export const appResolvers = {
  Query: {
    app: (_parent, args, ctx) => ctx.loaders.cf.app.load(cfGuid(args.guid)),
    apps: (_parent, args, ctx, info) => {
      const filter = appFilter(args.filter);
      return resolveConnection(args, CF_MAX_PAGE_SIZE, info, 'AppConnection', (page) =>
        ctx.loaders.cf.listApps(page, filter, cfOrder(args.orderBy)),
      );
    },
  },
  App: {
    // async: a bad representation rejects its own entry; a synchronous throw would fail the whole `_entities` list.
    __resolveReference: async (reference, ctx) => {
      const guid = cfGuid(String(reference.guid), 'guid');
      return entityOrNotFound('App', { guid }, ctx.loaders.cf.app.load(guid));
    },
    // One list call per app (`GET /v3/apps/:guid/packages`, cf-v3-packages.md §2).
    packages: (app, args, ctx, info) => {
      const filter = appPackageFilter(args.filter);
      return resolveConnection(args, CF_MAX_PAGE_SIZE, info, 'PackageConnection', (page) =>
        ctx.loaders.cf.listAppPackages(app.guid, page, filter, cfOrder(args.orderBy)),
      );
    },
  },
  AppConnection: connectionResolvers,
} satisfies Resolvers;
