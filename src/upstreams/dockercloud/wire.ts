/**
 * Docker Cloud's repo API JSON as it travels (docker-cloud-repository.md §3, §4, §5). Private to this folder: nothing
 * outside src/upstreams/dockercloud/ may import it. Only the four documented repository fields are guaranteed; the
 * rest appeared in a real 2016 response ([iss23]) or the go SDK's type and are optional.
 */
export interface WireRepository {
  name: string;
  in_use: boolean;
  /** The registry's resource URI, namespaced or not (§3, C): `/api/repo/v1/[ns/]registry/<host>/`. */
  registry: string;
  resource_uri: string;
  build_source?: unknown;
  description?: string | null;
  icon_url?: string | null;
  is_private_image?: boolean | null;
  jumpstart?: boolean | null;
  /** Tutum-era format, e.g. `2015-06-19 15:12:04+00:00`, or null. */
  last_build_date?: string | null;
  public_url?: string | null;
  star_count?: number | null;
  state?: string | null;
  tags?: unknown[] | null;
}

export interface WireRegistry {
  host: string;
  name: string;
  port: number;
  is_ssl: boolean;
  is_docker_registry: boolean;
  resource_uri: string;
  /** Filterable (registry.md), not in the docs' example object. */
  uuid?: string;
}

/** §4: Tastypie's list envelope. `next`/`previous` are server-relative paths or null. */
export interface WireList<T> {
  meta: { limit: number; offset: number; next: string | null; previous: string | null; total_count: number };
  objects: T[];
}

/** §5: every documented error body. */
export interface WireError {
  error?: unknown;
}
