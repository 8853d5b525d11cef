/**
 * The Cycle wire shapes the emulator stores and serves, read from the Cycle OpenAPI spec
 * (`cycle.md` §5 and `cycle-images-jobs.bundled.yaml` `components/schemas`). Snake_case, exactly as on the wire.
 * The sandbox's own reading of the contract: nothing here is shared with the gateway's client.
 */

/** `0001-01-01T00:00:00Z`: Go's zero time, how Cycle writes a timestamp that is not set (cycle.md §1). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export type CreatorType =
  'account' | 'environment' | 'platform' | 'platform-pipeline' | 'employee' | 'api-key' | 'visitor';
export interface CreatorScope {
  id: string;
  type: CreatorType;
}

export interface Events {
  created: string;
  updated: string;
  deleted: string;
}

export interface State<S extends string> {
  current: S;
  changed: string;
  error?: { message: string; time: string };
}

export interface Acl {
  roles?: Record<string, { view: boolean; modify: boolean; manage: boolean }>;
}

// --- origins (cycle.md §5 "ImageOrigin") ---------------------------------------------------------------------------

export interface ExistingSource {
  source_id?: string;
}
export interface DockerHubOrigin {
  type: 'docker-hub';
  details: { target: string; username?: string; token?: string; existing?: ExistingSource | null };
}
export interface DockerRegistryOrigin {
  type: 'docker-registry';
  details: {
    target: string;
    url: string;
    username?: string;
    token?: string;
    password?: string;
    existing?: ExistingSource;
  };
}
export type RegistryAuth =
  | { type: 'user'; details: { username?: string; token?: string } }
  | {
      type: 'provider';
      details: {
        flavor: 'ecr';
        credentials: {
          region?: string;
          namespace?: string;
          api_key?: string;
          secret?: string;
          subscription_id?: string;
          client_id?: string;
          config?: string;
        };
      };
    }
  | { type: 'webhook'; details: { url: string } };
export interface OciRegistryOrigin {
  type: 'oci-registry';
  details: { target: string; url: string; existing?: ExistingSource; auth?: RegistryAuth | null };
}
export type RepoAuth =
  | { type: 'http'; credentials: { username: string; password: string } }
  | { type: 'ssh'; credentials: { username: string; passphrase: string; private_key: string } };
export interface DockerFileOrigin {
  type: 'docker-file';
  details: {
    existing?: ExistingSource | null;
    repo?: {
      url: string;
      branch?: string;
      auth?: RepoAuth | null;
      ref?: { type: string; value: string } | null;
    } | null;
    targz_url?: string | null;
    context_dir?: string | null;
    build_file?: string | null;
    credentials?: { url?: string; username?: string; token?: string }[] | null;
  };
}
export interface CycleUploadOrigin {
  type: 'cycle-upload';
  details: { expires: string; token: string };
}
export interface CycleSourceOrigin {
  type: 'cycle-source';
  details: { source_id: string };
}
export interface NoneOrigin {
  type: 'none';
}
export type ImageOrigin =
  | DockerHubOrigin
  | DockerRegistryOrigin
  | OciRegistryOrigin
  | DockerFileOrigin
  | CycleUploadOrigin
  | CycleSourceOrigin
  | NoneOrigin;
export type OriginType = ImageOrigin['type'];

// --- image sources ---------------------------------------------------------------------------------------------------

export type ImageSourceType = 'direct' | 'stack-build' | 'bucket';
export type ImageSourceStateName = 'live' | 'deleting' | 'deleted';

export interface ImageSource {
  id: string;
  identifier: string;
  type: ImageSourceType;
  hub_id: string;
  name: string;
  about?: { description: string | null };
  origin: ImageOrigin;
  builder?: { integration_id?: string | null } | null;
  creator: CreatorScope;
  acl?: Acl | null;
  state: State<ImageSourceStateName>;
  events: Events;
  meta?: { images_count?: ImagesCount };
}

/** `ImageSourceMeta.images_count`: fixed state keys, no `available` (cycle.md §5). */
export interface ImagesCount {
  total: number;
  state: Record<'new' | 'downloading' | 'building' | 'verifying' | 'saving' | 'live' | 'deleting', number>;
}

// --- images ----------------------------------------------------------------------------------------------------------

export type ImageStateName =
  'new' | 'uploading' | 'downloading' | 'building' | 'verifying' | 'saving' | 'live' | 'deleting' | 'deleted';

export interface ImageSourceRef {
  type: ImageSourceType;
  details: { id: string; origin: ImageOrigin; stack_id?: string; containers?: string[] };
  override?: { target?: string; targz_url?: string };
}

export interface ImageConfig {
  user: string;
  ports: { host: number; container: number; type: string }[];
  env: Record<string, string>;
  labels: Record<string, string>;
  command: string[];
  entrypoint: string[];
  volumes: { path: string; mode: 'ro' | 'rw' }[];
  workdir: string;
  signal_stop: string;
}

/** `StateCountSummary`, the shape of `meta.containers_count` (cycle.md §5, C: the legacy client typed it a number). */
export interface StateCountSummary {
  state: Record<string, number>;
  total: number;
  available: number;
}

export interface Image {
  id: string;
  hub_id: string;
  name: string;
  size: number;
  about?: { description: string | null };
  backend: { provider: string; size: number; file_name: string; file_id: string };
  requires: { nvidia_gpu?: boolean };
  build?: { args?: Record<string, string>; use_disk?: boolean } | null;
  builder?: { integration_id: string } | null;
  config: ImageConfig;
  source?: ImageSourceRef;
  creator?: CreatorScope;
  factory?: { node_id: string; cached: string; acknowledged: string } | null;
  state: State<ImageStateName>;
  events: Events;
  meta?: { containers_count?: StateCountSummary };
}

export interface BuildLog {
  id: string;
  hub_id: string;
  image_id: string;
  log: string;
  events: Events;
}

// --- jobs (cycle.md §6) ----------------------------------------------------------------------------------------------

export type JobStateName = 'new' | 'queued' | 'error' | 'scheduled' | 'expired' | 'running' | 'completed';
export type TaskStateName = 'pending' | 'error' | 'running' | 'completed';

export interface TaskStep {
  caption: string;
  description: string;
  started: string;
  completed: string;
}

export interface JobTask {
  id: string;
  caption: string;
  header: string;
  events: { queued: string; started: string; completed: string };
  steps: TaskStep[] | null;
  state: { current: TaskStateName; changed: string };
  input: Record<string, unknown>;
  output: Record<string, string> | null;
  error: { message: string } | null;
}

export interface Job {
  id: string;
  hub_id: string;
  queue: string;
  caption: string;
  events: { queued: string; started: string; completed: string };
  schedule: string;
  expires: string;
  tasks: JobTask[];
  hash: string;
  limit_duplicates: boolean;
  creator: CreatorScope;
  state: { current: JobStateName; changed: string; error: { message: string } | null };
}

export interface JobDescriptor {
  action: string;
  job: {
    id: string;
    accepted: boolean;
    queue: string;
    schedule: string;
    parallel: { sub_queue: string | null; tasks: boolean };
    tasks: { caption: string; header: string; input: Record<string, unknown>; steps: TaskStep[] | null }[];
  };
}

// --- includable resources (cycle.md §5 "Includes") -------------------------------------------------------------------

export interface PublicAccount {
  id: string;
  name: { first: string; last: string };
  email: { address: string };
  two_factor_auth: { verified: boolean };
  events?: Record<string, string>;
}

export interface ApiKeyCreator {
  id: string;
  name: string;
  creator: CreatorScope;
  hub_id: string;
  permissions: { all_environments: boolean; environments: { id: string; manage: boolean }[] };
  capabilities: { all: boolean; specific: string[] };
  ips: string[] | null;
  state: State<'live' | 'deleting' | 'deleted'>;
  events: Events;
}

export interface Environment {
  id: string;
  identifier: string;
  name: string;
  cluster: string;
  about: { description: string; favorite: boolean };
  creator: CreatorScope;
  hub_id: string;
  state: State<'new' | 'live' | 'cloning' | 'deleting' | 'deleted'>;
  events: Events;
  features: { legacy_networking: boolean };
  services: { loadbalancer: null; discovery?: null; vpn?: null; scheduler?: null; gateway?: null };
}

export interface Stack {
  id: string;
  identifier: string;
  name: string;
  hub_id: string;
  creator: CreatorScope;
  source: { type: 'git-repo'; details: { url: string; branch?: string; stack_file?: string | null } };
  state: State<'live' | 'deleting' | 'deleted'>;
  variables?: Record<string, string>;
  acl?: Acl | null;
  events: Events & { last_build: string };
}

export interface StackBuild {
  id: string;
  hub_id: string;
  stack_id: string;
  about: { version: string; description: string };
  instructions: { git?: { type: 'hash' | 'tag' | 'branch'; value: string }; variables?: Record<string, string> };
  events: Events;
  state: State<
    'new' | 'importing' | 'building' | 'verifying' | 'saving' | 'live' | 'deploying' | 'deleting' | 'deleted'
  >;
}

export interface Integration {
  id: string;
  identifier: string;
  name: string;
  vendor: string;
  auth?: null;
  extra?: Record<string, string> | null;
  creator: CreatorScope;
  hub_id: string;
  state: State<'new' | 'verifying' | 'live' | 'deleting' | 'deleted'>;
  events: Events;
}

/** `CreatorInclude` groups: creator kinds that have an include group (platform creators have none). */
export interface CreatorDirectory {
  accounts: Map<string, PublicAccount>;
  employees: Map<string, PublicAccount>;
  visitors: Map<string, PublicAccount>;
  environments: Map<string, Environment>;
  api_keys: Map<string, ApiKeyCreator>;
}
