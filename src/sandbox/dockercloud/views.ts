/**
 * The wire objects (§3). Keys are written in alphabetical order, as Tastypie's JSON serializer (`sort_keys=True`)
 * emits them and as every docs example and go fixture shows them. Credentials are never part of a wire object.
 */
import type { KnownRegistry } from './registryCatalog.js';
import { registryUri, repositoryUri } from './names.js';

/**
 * Fields a real 2016 response carried beyond the documented four ([iss23]); optional, present on some seeded
 * repositories only. `last_build_date` uses the Tutum-era format of the go fixtures (`2015-06-19 15:12:04+00:00`).
 */
export interface RepositoryExtras {
  buildSource: null;
  lastBuildDate: string | null;
  publicUrl: string;
  state: 'Empty' | 'Success';
  tags: string[];
}

export interface RepositoryJson {
  build_source?: null;
  in_use: boolean;
  last_build_date?: string | null;
  name: string;
  public_url?: string;
  registry: string;
  resource_uri: string;
  state?: string;
  tags?: string[];
}

export interface RegistryJson {
  host: string;
  is_docker_registry: boolean;
  is_ssl: boolean;
  name: string;
  port: number;
  resource_uri: string;
  /** Not in the docs' example object, but the list filters on it (registry.md), so objects carry it. */
  uuid: string;
}

export interface RepositoryFacts {
  namespace: string;
  name: string;
  registryHost: string;
  inUse: boolean;
  extras?: RepositoryExtras | undefined;
}

export function repositoryJson(facts: RepositoryFacts): RepositoryJson {
  const { namespace, name, registryHost, inUse, extras } = facts;
  const registry = registryUri(namespace, registryHost);
  const resource_uri = repositoryUri(namespace, name);
  if (!extras) return { in_use: inUse, name, registry, resource_uri };
  return {
    build_source: extras.buildSource,
    in_use: inUse,
    last_build_date: extras.lastBuildDate,
    name,
    public_url: extras.publicUrl,
    registry,
    resource_uri,
    state: extras.state,
    tags: extras.tags,
  };
}

export function registryJson(namespace: string, registry: KnownRegistry): RegistryJson {
  return {
    host: registry.host,
    is_docker_registry: registry.isDockerRegistry,
    is_ssl: registry.isSsl,
    name: registry.name,
    port: registry.port,
    resource_uri: registryUri(namespace, registry.host),
    uuid: registry.uuid,
  };
}
