/**
 * Docker Cloud's domain model as the graph sees it (docker-cloud-repository.md §3). Repository credentials are
 * write-only: no response carries them and no domain type has a field for them.
 */
import type { MaybeInvalid } from '../shared/invalidValue.js';

export interface DockerCloudRepository {
  /** The primary key: `<host>/<path>` for third-party registries, `<namespace>/<repo>` on Docker Hub (§2). */
  name: string;
  inUse: boolean;
  /** The host of the registry the repository lives on, read from its registry resource URI; a marker when the URI
   * names none (it fails `Repository.registry`). */
  registryHost: MaybeInvalid<string>;
  resourceUri: string;
  /** The namespace the repository was read in; null for the caller's own (§1 "Namespace"). */
  namespace: string | null;
  state: string | null;
  tags: string[] | null;
  publicUrl: string | null;
  /** ISO 8601, converted from the Tutum-era `YYYY-MM-DD hh:mm:ss+00:00`. */
  lastBuildDate: string | null;
  description: string | null;
  isPrivateImage: boolean | null;
  starCount: MaybeInvalid<number> | null;
}

export interface DockerCloudRegistry {
  host: string;
  name: MaybeInvalid<string>;
  port: MaybeInvalid<number> | null;
  isSsl: MaybeInvalid<boolean>;
  /** Run by Docker (Docker Hub). */
  isDockerRegistry: MaybeInvalid<boolean>;
  uuid: string | null;
  resourceUri: string;
  namespace: string | null;
}

export interface DockerCloudRepositoryFilter {
  /** Exact name. */
  name?: string | null;
  registryHost?: string | null;
}

export interface DockerCloudRegistryFilter {
  name?: string | null;
  host?: string | null;
  uuid?: string | null;
  isDockerRegistry?: boolean | null;
}

/** Registry credentials to store with a repository (§2 POST/PATCH). Write-only. */
export interface DockerCloudCredentials {
  username?: string | null;
  password?: string | null;
}
