/** Packages: the `package`/`packages`/`packageArchive` queries and the Package type's fields (cf-v3-packages.md §2–§4). */
import { createHash } from 'node:crypto';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { invalidUpstreamValue } from '../../errors.js';
import { CF_MAX_PAGE_SIZE } from '../../upstreams/cf/index.js';
import { isInvalidUpstreamValue, upstreamInt } from '../../upstreams/shared/invalidValue.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { cfGuid } from '../validate.js';
import { cfOrder, dropletFilter, packageFilter } from './inputs.js';
import { entityOrNotFound } from '../entityReference.js';

export const packageResolvers = {
  Query: {
    package: (_parent, args, ctx) => ctx.loaders.cf.package.load(cfGuid(args.guid)),
    packages: (_parent, args, ctx, info) => {
      const filter = packageFilter(args.filter);
      return resolveConnection(args, CF_MAX_PAGE_SIZE, info, 'PackageConnection', (page) =>
        ctx.loaders.cf.listPackages(page, filter, cfOrder(args.orderBy)),
      );
    },
    packageArchive: (_parent, args, ctx) => ctx.loaders.cf.archive.load(cfGuid(args.guid)),
  },
  Package: {
    // async: a bad representation rejects its own entry; a synchronous throw would fail the whole `_entities` list.
    __resolveReference: async (reference, ctx) => {
      const guid = cfGuid(String(reference.guid), 'guid');
      return entityOrNotFound('Package', { guid }, ctx.loaders.cf.package.load(guid));
    },
    bits: (pkg) => (pkg.type === 'bits' ? pkg.bits : null),
    docker: (pkg) => (pkg.type === 'docker' ? pkg.docker : null),
    app: (pkg, _args, ctx) => (pkg.appGuid ? ctx.loaders.cf.app.load(pkg.appGuid) : null),
    // One list call per package: CF lists droplets per package (§4), with no multi-package filter in the contract.
    droplets: (pkg, args, ctx, info) => {
      const filter = dropletFilter(args.filter);
      return resolveConnection(args, CF_MAX_PAGE_SIZE, info, 'DropletConnection', (page) =>
        ctx.loaders.cf.listDroplets(pkg.guid, page, filter, cfOrder(args.orderBy)),
      );
    },
  },
  PackageArchive: {
    // Bounded by UPLOAD_MAX_BYTES, which may be set beyond what GraphQL's Int holds.
    sizeBytes: (archive) => {
      const size = upstreamInt('cf', archive.content.length, 'package download body');
      if (isInvalidUpstreamValue(size)) throw invalidUpstreamValue(size);
      return size;
    },
    sha256: (archive) => createHash('sha256').update(archive.content).digest('hex'),
    contentBase64: (archive) => archive.content.toString('base64'),
  },
  PackageConnection: connectionResolvers,
  DropletConnection: connectionResolvers,
} satisfies Resolvers;
