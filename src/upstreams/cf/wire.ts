/**
 * Cloud Foundry v3 JSON as it travels (cf-v3-packages.md §3, §5, §6, §7; CF v3 docs "The app object", "The droplet
 * object"). Private to this folder: nothing outside src/upstreams/cf/ may import it.
 */
export type WireTimestamp = string;

export interface WireLink {
  href: string;
  method?: string;
}

export interface WireMetadata {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

/** To-one relationship (§1): `{"data": {"guid": "…"}}`; `data` may be null. */
export interface WireToOne {
  data?: { guid: string } | null;
}

/** §5: the pagination envelope of every list. */
export interface WireList<T> {
  pagination: {
    total_results: number;
    total_pages: number;
    first: WireLink;
    last: WireLink;
    next: WireLink | null;
    previous: WireLink | null;
  };
  resources: T[];
}

export interface WireChecksum {
  type: string;
  value: string | null;
}

/**
 * Docker package data. §3 (current CF): `{image, username, password}`, the password `"***"` or null. Seeds 000/001
 * (the early-v3 create's answer): `{image, credentials: {user, password, email, login_server}, store_image, hash,
 * error}`, where the password comes back as it was sent.
 */
export interface WireDockerData {
  image?: string;
  username?: string | null;
  password?: string | null;
  credentials?: {
    user?: string | null;
    password?: string | null;
    email?: string | null;
    login_server?: string | null;
  } | null;
  store_image?: boolean | null;
  hash?: WireChecksum | null;
  error?: string | null;
}

/** §3: `data` depends on `type`. */
export interface WirePackage {
  guid: string;
  type: string;
  state: string;
  created_at: WireTimestamp;
  updated_at: WireTimestamp | null;
  data: { checksum?: WireChecksum | null; error?: string | null } | WireDockerData;
  relationships?: { app?: WireToOne };
  metadata?: WireMetadata;
  links?: Record<string, WireLink>;
}

export interface WireApp {
  guid: string;
  name: string;
  state: string;
  created_at: WireTimestamp;
  updated_at: WireTimestamp | null;
  lifecycle?: { type: string; data?: { buildpacks?: string[] | null; stack?: string | null } };
  relationships?: { space?: WireToOne };
  metadata?: WireMetadata;
}

export interface WireDetectedBuildpack {
  name: string;
  detect_output?: string | null;
  version?: string | null;
  buildpack_name?: string | null;
}

export interface WireDroplet {
  guid: string;
  state: string;
  error: string | null;
  lifecycle?: { type: string };
  checksum?: { type: string; value: string | null } | null;
  buildpacks?: WireDetectedBuildpack[] | null;
  stack?: string | null;
  image?: string | null;
  created_at: WireTimestamp;
  updated_at: WireTimestamp | null;
  relationships?: { app?: WireToOne };
  metadata?: WireMetadata;
}

/** §7: `links.package` only while the package still exists; `errors` filled when FAILED. */
export interface WireJob {
  guid: string;
  operation: string;
  state: string;
  created_at: WireTimestamp;
  updated_at: WireTimestamp | null;
  links?: Record<string, WireLink>;
  errors?: WireError[];
  warnings?: { detail: string }[];
}

/** §6: `code` is an integer, `title` is `CF-<Name>` (or `UnknownError`). */
export interface WireError {
  code: number;
  title: string;
  detail: string;
}

export interface WireErrorEnvelope {
  errors?: WireError[];
}
