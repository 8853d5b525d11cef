/**
 * Cycle's JSON as it travels (cycle.md §2, §5, §6; components of `cycleplatform/api-spec`). Private to this folder:
 * nothing outside src/upstreams/cycle/ may import it. Optional where the spec says optional.
 */
export type WireDateTime = string;

export interface WireEnvelope<T> {
  data: T;
  includes?: WireIncludes;
}

export interface WireErrorEnvelope {
  error?: { status?: number; code?: string; title?: string; detail?: string; source?: string } | string;
  error_description?: string;
  data?: null;
}

export interface WireState<S extends string = string> {
  current: S;
  changed?: WireDateTime;
  error?: { message?: string; time?: WireDateTime } | null;
}

export type WireEvents = Record<string, WireDateTime>;

export interface WireCreatorScope {
  id: string;
  type: string;
}

export interface WireStateCountSummary {
  state: Record<string, number>;
  total: number;
  available: number;
}

export interface WireImage {
  id: string;
  hub_id: string;
  name: string;
  size: number;
  about?: { description: string | null } | null;
  backend: { provider: string; size: number; file_name: string; file_id: string };
  requires: { nvidia_gpu?: boolean };
  build?: { args?: Record<string, string>; use_disk?: boolean } | null;
  builder?: { integration_id: string } | null;
  config: {
    user: string;
    ports: { host: number; container: number; type: string }[];
    env: Record<string, string>;
    labels: Record<string, string>;
    command: string[];
    entrypoint: string[];
    volumes: { path?: string; mode?: string }[];
    workdir: string;
    signal_stop: string;
  };
  source?: WireImageSourceRef;
  creator?: WireCreatorScope;
  factory?: { node_id?: string; cached?: WireDateTime; acknowledged?: WireDateTime } | null;
  state: WireState;
  events: WireEvents;
  meta?: { containers_count?: WireStateCountSummary };
}

export interface WireImageSourceRef {
  type: string;
  details: { id: string; stack_id?: string; containers?: string[]; origin: WireOrigin };
  override?: { target?: string; targz_url?: string };
}

/** ImageOrigin, discriminated on `type` (cycle.md §5). Secrets arrive here; decode.ts drops them. */
export interface WireOrigin {
  type: string;
  details?: Record<string, unknown>;
}

export interface WireImageSource {
  id: string;
  identifier: string;
  type: string;
  hub_id: string;
  name: string;
  about?: { description: string | null } | null;
  origin: WireOrigin;
  builder?: { integration_id?: string | null } | null;
  creator: WireCreatorScope;
  acl?: { roles?: Record<string, { view: boolean; modify: boolean; manage: boolean }> } | null;
  state: WireState;
  events: WireEvents;
  meta?: { images_count?: { total: number; state: Record<string, number> } };
}

export interface WireBuildLog {
  id: string;
  hub_id: string;
  image_id: string;
  log: string;
  events: WireEvents;
}

export interface WireJobDescriptor {
  action: string;
  job?: { id: string };
  /** The older shape some clients saw (cycle.md §6, C). */
  job_id?: string;
}

export interface WireJob {
  id: string;
  hub_id: string;
  queue: string;
  caption: string;
  events: { queued: WireDateTime; started: WireDateTime; completed: WireDateTime };
  schedule: WireDateTime;
  expires: WireDateTime;
  tasks: WireJobTask[];
  hash: string;
  limit_duplicates: boolean;
  creator: WireCreatorScope;
  state: WireState & { error?: { message?: string } | null };
}

export interface WireJobTask {
  id: string;
  caption: string;
  header: string;
  events: { queued: WireDateTime; started: WireDateTime; completed: WireDateTime };
  steps: { caption: string; description: string; started: WireDateTime; completed: WireDateTime }[] | null;
  state: WireState;
  input: Record<string, unknown>;
  output: Record<string, string> | null;
  error: { message?: string } | null;
}

export interface WirePublicAccount {
  id: string;
  name: { first: string; last: string };
  email: { address: string };
}

export interface WireNamedResource {
  id: string;
  name: string;
  identifier?: string;
  state?: WireState;
  events?: WireEvents;
  vendor?: string;
  stack_id?: string;
  about?: { version?: string; description?: string | null } | null;
  instructions?: { git?: { type: string; value: string } };
}

export interface WireIncludes {
  creators?: Partial<
    Record<
      'accounts' | 'employees' | 'visitors' | 'environments' | 'api_keys',
      Record<string, WirePublicAccount | WireNamedResource>
    >
  >;
  sources?: Record<string, WireImageSource>;
  stacks?: Record<string, WireNamedResource>;
  stack_builds?: Record<string, WireNamedResource>;
  integrations?: Record<string, WireNamedResource>;
  'integrations:identifiers'?: Record<string, string[]>;
  'sources:identifiers'?: Record<string, string[]>;
  'stacks:identifiers'?: Record<string, string[]>;
}
