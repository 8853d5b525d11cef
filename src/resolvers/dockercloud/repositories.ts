/**
 * Docker Cloud repositories and registries: the queries and the Repository/Registry types
 * (docker-cloud-repository.md §2, §3). Names, hosts and namespaces are checked before any request.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { invalidUpstreamValue } from '../../errors.js';
import { isInvalidUpstreamValue } from '../../upstreams/shared/invalidValue.js';
import { DOCKER_CLOUD_MAX_PAGE_SIZE } from '../../upstreams/dockercloud/index.js';
import { connectionResolvers, resolveConnection } from '../connection.js';
import { entityOrNotFound } from '../entityReference.js';
import { namespace, registryHost, repositoryName } from '../validate.js';

/** A representation's namespace: null (or absent, from a router built on the former key) is the caller's own. */
function referenceNamespace(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export const dockerCloudResolvers = {
  Query: {
    repository: (_parent, args, ctx) =>
      ctx.loaders.dockercloud.repository(namespace(args.namespace)).load(repositoryName(args.name)),
    repositories: (_parent, args, ctx, info) => {
      const filter = {
        name: args.filter?.name,
        registryHost: args.filter?.registryHost ? registryHost(args.filter.registryHost, 'filter.registryHost') : null,
      };
      const ns = namespace(args.namespace);
      return resolveConnection(args, DOCKER_CLOUD_MAX_PAGE_SIZE, info, 'RepositoryConnection', (page) =>
        ctx.loaders.dockercloud.listRepositories(page, filter, ns),
      );
    },
    registry: (_parent, args, ctx) =>
      ctx.loaders.dockercloud.registry(namespace(args.namespace)).load(registryHost(args.host)),
    registries: (_parent, args, ctx, info) => {
      const ns = namespace(args.namespace);
      return resolveConnection(args, DOCKER_CLOUD_MAX_PAGE_SIZE, info, 'RegistryConnection', (page) =>
        ctx.loaders.dockercloud.listRegistries(page, args.filter ?? {}, ns),
      );
    },
  },
  Repository: {
    namespace: (repository, _args, ctx) => ctx.loaders.dockercloud.namespaceOf(repository),
    // async: a bad representation rejects its own entry; a synchronous throw would fail the whole `_entities` list.
    // The key is the namespace and the name: one name can exist in several namespaces (a user's and an org's).
    __resolveReference: async (reference, ctx) => {
      const name = repositoryName(String(reference.name));
      const ns = namespace(referenceNamespace(reference.namespace));
      return entityOrNotFound('Repository', { namespace: ns, name }, ctx.loaders.dockercloud.repository(ns).load(name));
    },
    // Deduplicated per request, and several hosts load with one registry list call (loaders/dockercloud.ts).
    registry: (repository, _args, ctx) => {
      // A registry URI the gateway cannot read fails this field only, naming Docker Cloud's `registry`.
      if (isInvalidUpstreamValue(repository.registryHost)) throw invalidUpstreamValue(repository.registryHost);
      return repository.registryHost
        ? ctx.loaders.dockercloud.registry(repository.namespace).load(repository.registryHost)
        : null;
    },
  },
  Registry: {
    namespace: (registry, _args, ctx) => ctx.loaders.dockercloud.namespaceOf(registry),
    __resolveReference: async (reference, ctx) => {
      const host = registryHost(String(reference.host));
      const ns = namespace(referenceNamespace(reference.namespace));
      return entityOrNotFound('Registry', { namespace: ns, host }, ctx.loaders.dockercloud.registry(ns).load(host));
    },
    repositories: (registry, args, ctx, info) =>
      resolveConnection(args, DOCKER_CLOUD_MAX_PAGE_SIZE, info, 'RepositoryConnection', (page) =>
        ctx.loaders.dockercloud.listRepositories(
          page,
          { name: args.filter?.name, registryHost: registry.host },
          registry.namespace,
        ),
      ),
  },
  RepositoryConnection: connectionResolvers,
  RegistryConnection: connectionResolvers,
} satisfies Resolvers;
