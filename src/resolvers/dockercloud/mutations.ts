/**
 * Docker Cloud repository writes (docker-cloud-repository.md §2). Names are checked before any request; passwords
 * go to Docker Cloud and no response, domain type or error carries them back.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { badUserInput } from '../../errors.js';
import { namespace, repositoryName } from '../validate.js';

export const dockerCloudMutationResolvers = {
  Mutation: {
    registerRepository: (_parent, args, ctx) =>
      ctx.upstreams.dockercloud.registerRepository(
        repositoryName(args.name),
        { username: args.username, password: args.password },
        namespace(args.namespace),
      ),
    updateRepositoryCredentials: (_parent, args, ctx) => {
      const name = repositoryName(args.name);
      if (args.username == null && args.password == null)
        throw badUserInput('Give `username`, `password` or both', { argument: 'password' });
      return ctx.upstreams.dockercloud.updateRepositoryCredentials(
        name,
        { username: args.username, password: args.password },
        namespace(args.namespace),
      );
    },
    removeRepository: async (_parent, args, ctx) => {
      const name = repositoryName(args.name);
      await ctx.upstreams.dockercloud.removeRepository(name, namespace(args.namespace));
      return { name, removed: true };
    },
  },
} satisfies Resolvers;
