/**
 * In-memory state of one tenant: its namespaces (its user and the one organisation it belongs to, §1 "Namespace")
 * and the repositories in each. Registries are global (registryCatalog.ts); repositories are per namespace.
 */
import type { SandboxTenant } from '../shared/credentials.js';
import { findRegistry } from './registryCatalog.js';
import { organisationOf, seedRepositories } from './seed.js';
import { repositoryJson, type RepositoryExtras, type RepositoryJson } from './views.js';

export interface RepositoryCredentials {
  username?: string;
  /** Stored, never returned (no wire object carries it). */
  password?: string;
}

export interface RepositoryRecord {
  readonly name: string;
  readonly registryHost: string;
  credentials: RepositoryCredentials;
  /** The wire object, built once: no API call changes what it shows (PATCH only changes credentials). */
  readonly json: RepositoryJson;
}

export interface NewRepository {
  name: string;
  registryHost: string;
  inUse: boolean;
  credentials: RepositoryCredentials;
  extras?: RepositoryExtras | undefined;
}

export class NamespaceRepositories {
  readonly namespace: string;
  readonly #byName = new Map<string, RepositoryRecord>();
  /** The listable repositories sorted by name; rebuilt lazily after a change. */
  #listable: RepositoryRecord[] | null = null;

  constructor(namespace: string) {
    this.namespace = namespace;
  }

  get(name: string): RepositoryRecord | undefined {
    return this.#byName.get(name);
  }

  /** Adds a repository; undefined when one with that name already exists here. */
  add(input: NewRepository): RepositoryRecord | undefined {
    if (this.#byName.has(input.name)) return undefined;
    const record: RepositoryRecord = {
      name: input.name,
      registryHost: input.registryHost,
      credentials: { ...input.credentials },
      json: repositoryJson({ namespace: this.namespace, ...input }),
    };
    this.#byName.set(record.name, record);
    this.#listable = null;
    return record;
  }

  /** The registry hosts these repositories are on. */
  registryHosts(): ReadonlySet<string> {
    return new Set([...this.#byName.values()].map((record) => record.registryHost));
  }

  delete(name: string): boolean {
    const deleted = this.#byName.delete(name);
    if (deleted) this.#listable = null;
    return deleted;
  }

  /**
   * What the list endpoint shows: per a maintainer's reply in [iss23] (§3), only repositories on third-party
   * registries; Docker Hub repositories can be fetched by name but are never listed. Ordered by name (the pk).
   */
  listable(): readonly RepositoryRecord[] {
    this.#listable ??= [...this.#byName.values()]
      .filter((record) => !findRegistry(record.registryHost)?.isDockerRegistry)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#listable;
  }
}

export class TenantState {
  readonly username: string;
  readonly apiKey: string;
  readonly organisation: string;
  readonly #namespaces: Map<string, NamespaceRepositories>;

  constructor(tenant: SandboxTenant) {
    this.username = tenant.dockercloud.username;
    this.apiKey = tenant.dockercloud.apiKey;
    this.organisation = organisationOf(tenant.seedVariant);
    this.#namespaces = new Map([
      [this.username, new NamespaceRepositories(this.username)],
      [this.organisation, new NamespaceRepositories(this.organisation)],
    ]);
    for (const seed of seedRepositories(tenant.seedVariant)) {
      const namespace = seed.owner === 'user' ? this.username : this.organisation;
      const credentials: RepositoryCredentials = {};
      if (seed.username !== undefined) credentials.username = seed.username;
      if (seed.password !== undefined) credentials.password = seed.password;
      this.#namespaces.get(namespace)!.add({ ...seed, credentials });
    }
  }

  /**
   * The namespace a request addresses: omitted means the authenticated user (index.md "Namespaced endpoints").
   * Undefined for a namespace the user is not a member of, whether or not it exists for someone else.
   */
  namespace(name: string | undefined): NamespaceRepositories | undefined {
    return this.#namespaces.get(name ?? this.username);
  }
}
