/**
 * Per-request loaders for Docker Cloud (every Docker Cloud read of a GraphQL request goes through here), one set per
 * namespace (docker-cloud-repository.md §1: the same name may
 * exist in several). Docker Cloud has no multi-name filter (§2: `name` and `host` are exact), so:
 * - repositories by name are deduplicated: one GET per distinct name per request, bounded concurrency;
 * - registries by host: a single host is one GET; several hosts are one `registry/` list call (registries are few
 *   and read-only, §2), with a GET only for a host the first list page did not hold. A page of repositories on N
 *   registries thus costs 1 + 1 calls instead of 1 + N.
 */
import DataLoader from 'dataloader';
import type {
  DockerCloudClient,
  DockerCloudRegistry,
  DockerCloudRegistryFilter,
  DockerCloudRepository,
  DockerCloudRepositoryFilter,
} from '../upstreams/dockercloud/index.js';
import type { Page, PageRequest } from '../upstreams/shared/page.js';
import { DOCKER_CLOUD_MAX_PAGE_SIZE } from '../upstreams/dockercloud/index.js';
import { ReadOnce } from './readOnce.js';
import { NO_BATCH_OBSERVER, observed, type BatchObserver } from './observe.js';
import { settlePerKey } from './orderByKeys.js';

const PER_REQUEST_CONCURRENCY = 8;

interface NamespaceLoaders {
  repository: DataLoader<string, DockerCloudRepository | null>;
  registry: DataLoader<string, DockerCloudRegistry | null>;
}

export class DockerCloudLoaders {
  readonly #client: DockerCloudClient;
  readonly #observe: BatchObserver;
  readonly #byNamespace = new Map<string, NamespaceLoaders>();
  readonly #reads: ReadOnce;

  readonly #whoAmI: () => string | null;
  #ownNamespace: string | null | undefined;

  /** @param whoAmI the user this request's Docker Cloud credential authenticates (null without one) */
  constructor(
    client: DockerCloudClient,
    whoAmI: () => string | null,
    observe: BatchObserver = NO_BATCH_OBSERVER,
    reads = new ReadOnce(),
  ) {
    this.#client = client;
    this.#whoAmI = whoAmI;
    this.#observe = observe;
    this.#reads = reads;
  }

  /**
   * The caller's own namespace: its user. Reads in it are the reads without a namespace, on the same loaders and with
   * the same requests. Worked out on first use: most requests never read Docker Cloud.
   */
  get ownNamespace(): string | null {
    if (this.#ownNamespace === undefined) this.#ownNamespace = this.#whoAmI();
    return this.#ownNamespace;
  }

  /** The namespace a repository or registry was read in, named: the caller's user for its own. */
  namespaceOf(read: { namespace: string | null }): string | null {
    return read.namespace ?? this.ownNamespace;
  }

  /** Repositories by name in `namespace` (null: the caller's own). */
  repository(namespace: string | null = null): DataLoader<string, DockerCloudRepository | null> {
    return this.#loaders(this.#named(namespace)).repository;
  }

  /** Registries by host in `namespace`. */
  registry(namespace: string | null = null): DataLoader<string, DockerCloudRegistry | null> {
    return this.#loaders(this.#named(namespace)).registry;
  }

  /** A page of repositories in `namespace`; later by-name reads of them in this request need no call. */
  listRepositories(
    page: PageRequest,
    filter: DockerCloudRepositoryFilter,
    namespace: string | null,
  ): Promise<Page<DockerCloudRepository>> {
    const named = this.#named(namespace);
    return this.#reads.read('dockercloud.listRepositories', [page, filter, named], async () => {
      const list = await this.#client.listRepositories(page, filter, named);
      for (const repository of list.items) this.repository(repository.namespace).prime(repository.name, repository);
      return list;
    });
  }

  /** A page of registries in `namespace`, primed. */
  listRegistries(
    page: PageRequest,
    filter: DockerCloudRegistryFilter,
    namespace: string | null,
  ): Promise<Page<DockerCloudRegistry>> {
    const named = this.#named(namespace);
    return this.#reads.read('dockercloud.listRegistries', [page, filter, named], async () => {
      const list = await this.#client.listRegistries(page, filter, named);
      for (const registry of list.items) this.registry(registry.namespace).prime(registry.host, registry);
      return list;
    });
  }

  /** The namespace to name in a request: none for the caller's own (Docker Cloud names ignore case). */
  #named(namespace: string | null): string | null {
    const own = this.ownNamespace;
    return namespace !== null && own !== null && namespace.toLowerCase() === own.toLowerCase() ? null : namespace;
  }

  #loaders(namespace: string | null): NamespaceLoaders {
    const key = namespace ?? '';
    let loaders = this.#byNamespace.get(key);
    if (!loaders) {
      const client = this.#client;
      loaders = {
        repository: new DataLoader(
          observed('dockercloud.repository', this.#observe, (names) =>
            settlePerKey(names, (name) => client.getRepository(name, namespace), PER_REQUEST_CONCURRENCY),
          ),
        ),
        registry: new DataLoader(
          observed('dockercloud.registry', this.#observe, (hosts) => this.#loadRegistries(hosts, namespace)),
        ),
      };
      this.#byNamespace.set(key, loaders);
    }
    return loaders;
  }

  async #loadRegistries(
    hosts: readonly string[],
    namespace: string | null,
  ): Promise<(DockerCloudRegistry | null | Error)[]> {
    if (hosts.length === 1) return [await this.#client.getRegistry(hosts[0]!, namespace)];
    const page = await this.#client.listRegistries({ first: DOCKER_CLOUD_MAX_PAGE_SIZE }, {}, namespace);
    const byHost = new Map(page.items.map((registry) => [registry.host, registry]));
    // A complete list that lacks a host is Docker Cloud saying it does not know it; a partial one proves nothing.
    const unlisted = page.hasNextPage ? hosts.filter((host) => !byHost.has(host)) : [];
    const fetched = await settlePerKey(
      unlisted,
      (host) => this.#client.getRegistry(host, namespace),
      PER_REQUEST_CONCURRENCY,
    );
    const extra = new Map(unlisted.map((host, i) => [host, fetched[i]!]));
    return hosts.map((host) => byHost.get(host) ?? extra.get(host) ?? null);
  }
}
