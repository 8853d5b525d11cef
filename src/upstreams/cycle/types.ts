/**
 * Cycle's domain model as the graph sees it: camelCase, the Go zero time as null, and no secrets. Origins and
 * creators are decoded so that credentials never enter these types (cycle.md §5: origins carry them in responses).
 */
import type { MaybeInvalid } from '../shared/invalidValue.js';

/** `unknown`: a state Cycle sent that the gateway does not know; StateInfo.upstreamState has Cycle's name. */
export type CycleImageState =
  | 'new'
  | 'uploading'
  | 'downloading'
  | 'building'
  | 'verifying'
  | 'saving'
  | 'live'
  | 'deleting'
  | 'deleted'
  | 'unknown';
export type CycleImageSourceState = 'live' | 'deleting' | 'deleted' | 'unknown';
export type CycleSourceType = 'direct' | 'stack-build' | 'bucket';
export type CycleCreatorKind =
  'account' | 'environment' | 'platform' | 'platform-pipeline' | 'employee' | 'api-key' | 'visitor';
export type CycleJobState = 'new' | 'queued' | 'error' | 'scheduled' | 'expired' | 'running' | 'completed';

/** What a resource was fetched with: relationships and meta are known only when asked for. */
export type CycleImageInclude = 'creators' | 'sources' | 'stacks' | 'stack_builds' | 'integrations';
export type CycleSourceInclude = 'creators' | 'integrations';

export interface KeyValue {
  key: string;
  value: string;
}

export interface StateInfo<S extends string> {
  current: S;
  /** Cycle's own name of the state (what `current` is, unless that is `unknown`). */
  upstreamState: string;
  changed: string | null;
  error: { message: string | null; time: string | null } | null;
}

export interface CountByState {
  state: string;
  count: number;
}

export interface CreatorRef {
  kind: CycleCreatorKind;
  id: string;
}

export interface ImageOverride {
  target: string | null;
  targzUrl: string | null;
}

export type CycleOrigin =
  | {
      type: 'docker-hub';
      target: string;
      username: string | null;
      hasCredentials: boolean;
      existingSourceId: string | null;
    }
  | {
      type: 'docker-registry';
      target: string;
      url: MaybeInvalid<string>;
      username: string | null;
      hasCredentials: boolean;
      existingSourceId: string | null;
    }
  | {
      type: 'oci-registry';
      target: string;
      url: MaybeInvalid<string>;
      existingSourceId: string | null;
      auth: OciRegistryAuth | null;
    }
  | {
      type: 'docker-file';
      existingSourceId: string | null;
      repo: GitRepository | null;
      targzUrl: string | null;
      contextDir: string | null;
      buildFile: string | null;
      registryCredentials: { url: MaybeInvalid<string>; username: string | null }[];
    }
  | { type: 'cycle-upload'; expires: string | null; hasToken: boolean }
  | { type: 'cycle-source'; sourceId: string }
  | { type: 'none' };

export type OciRegistryAuth =
  | { type: 'user'; username: string | null; hasToken: boolean }
  | { type: 'provider'; flavor: string; region: string | null; namespace: string | null; hasCredentials: boolean }
  | { type: 'webhook'; host: MaybeInvalid<string> | null };

export interface GitRepository {
  /** Without userinfo or query string: either could hold a credential. */
  url: MaybeInvalid<string>;
  branch: string | null;
  ref: { type: string; value: string } | null;
  authType: 'http' | 'ssh' | null;
  hasCredentials: boolean;
}

export interface ImageSourceRef {
  type: CycleSourceType;
  /** The image source (`details.id`: for every source type, stack-build included). */
  sourceId: string;
  stackId: string | null;
  containers: string[];
  origin: CycleOrigin;
  override: ImageOverride | null;
}

export interface ImageConfig {
  readonly user: string;
  readonly ports: MaybeInvalid<{ host: MaybeInvalid<number>; container: MaybeInvalid<number>; type: string }[]>;
  readonly env: KeyValue[];
  readonly labels: KeyValue[];
  readonly command: string[];
  readonly entrypoint: string[];
  readonly volumes: { path: string | null; mode: string | null }[];
  readonly workdir: string;
  readonly signalStop: string;
}

export interface CycleImage {
  id: string;
  hubId: string;
  name: MaybeInvalid<string>;
  size: MaybeInvalid<number>;
  description: string | null;
  backend: { provider: string; size: MaybeInvalid<number>; fileName: string; fileId: string };
  requiresNvidiaGpu: boolean;
  build: { args: KeyValue[]; useDisk: boolean } | null;
  builderIntegrationId: string | null;
  config: ImageConfig;
  sourceRef: ImageSourceRef | null;
  creatorRef: CreatorRef | null;
  factory: { nodeId: string | null; cached: string | null; acknowledged: string | null } | null;
  state: StateInfo<CycleImageState>;
  events: { created: string | null; updated: string | null; deleted: string | null };
  /** Present only when fetched with `meta=containers_count`. */
  containersCount?: { total: MaybeInvalid<number>; available: MaybeInvalid<number>; byState: CountByState[] };
}

export interface CycleImageSource {
  id: string;
  identifier: string;
  type: CycleSourceType;
  hubId: string;
  name: string;
  description: string | null;
  origin: CycleOrigin;
  builderIntegrationId: string | null;
  creatorRef: CreatorRef | null;
  acl: { roleId: string; view: boolean; modify: boolean; manage: boolean }[] | null;
  state: StateInfo<CycleImageSourceState>;
  events: { created: string | null; updated: string | null; deleted: string | null };
  /** Present only when fetched with `meta=images_count`. */
  imagesCount?: { total: MaybeInvalid<number>; byState: CountByState[] };
}

export interface CycleCreator {
  kind: CycleCreatorKind;
  id: string;
  /** Accounts, employees and visitors: a person's name; API keys and environments: the resource name. */
  name: string | null;
  email: string | null;
  identifier: string | null;
}

export interface CycleRelated {
  id: string;
  name: string;
  identifier: string | null;
  state: string | null;
  created: string | null;
  /** Integrations only. */
  vendor: string | null;
  /** Stack builds only. */
  stackId: string | null;
  version: string | null;
}

/** The `includes` sidecar, decoded: each related resource once, keyed by id. */
export interface CycleIncludes {
  sources: Map<string, CycleImageSource>;
  creators: Map<string, CycleCreator>;
  stacks: Map<string, CycleRelated>;
  stackBuilds: Map<string, CycleRelated>;
  integrations: Map<string, CycleRelated>;
  /** Identifier → ids (`integrations:identifiers`): `builder.integration_id` may hold an identifier. */
  integrationIdentifiers: Map<string, string>;
}

export interface CycleBuildLog {
  id: string;
  imageId: string;
  log: string;
  created: string | null;
}

export interface CycleJobTask {
  id: string;
  caption: string;
  header: string;
  /** Null when Cycle gives none (`state.current` is optional in its spec). */
  state: string | null;
  error: string | null;
  steps: { caption: string; description: string; startedAt: string | null; completedAt: string | null }[];
  startedAt: string | null;
  completedAt: string | null;
}

export interface CycleJob {
  id: string;
  hubId: string;
  queue: string;
  caption: string;
  state: CycleJobState;
  error: string | null;
  queued: string | null;
  started: string | null;
  completed: string | null;
  schedule: string | null;
  expires: string | null;
  tasks: CycleJobTask[];
  creatorRef: CreatorRef | null;
}

/** What a write that starts upstream work answers: the job to follow. */
/** What a write that starts work answers (JobDescriptor): the job to follow, or null when Cycle named none. */
export interface CycleJobRef {
  action: string;
  jobId: string | null;
}

/** An origin to write (create or update a source). Secrets go in here and are never read back. */
export type CycleOriginInput =
  | {
      /** An upload token and its expiry; (I) without them Cycle issues the token (the sandbox does). */
      type: 'cycle-upload';
      expires?: string | null;
      token?: string | null;
    }
  | {
      type: 'docker-hub';
      target: string;
      username?: string | null;
      token?: string | null;
      existingSourceId?: string | null;
    }
  | {
      type: 'docker-registry';
      target: string;
      url: MaybeInvalid<string>;
      username?: string | null;
      token?: string | null;
      password?: string | null;
      existingSourceId?: string | null;
    }
  | {
      type: 'oci-registry';
      target: string;
      url: string;
      auth?: CycleOciAuthInput | null;
      existingSourceId?: string | null;
    }
  | {
      type: 'docker-file';
      repo?: {
        url: string;
        branch?: string | null;
        ref?: { type: string; value: string } | null;
        auth?:
          | { type: 'http'; username: string; password: string }
          | { type: 'ssh'; username: string; privateKey: string; passphrase?: string | null }
          | null;
      } | null;
      targzUrl?: string | null;
      contextDir?: string | null;
      buildFile?: string | null;
      credentials?: { url: string; username?: string | null; token?: string | null }[] | null;
      existingSourceId?: string | null;
    }
  | { type: 'none' };

export type CycleOciAuthInput =
  | { type: 'user'; username: string; token: string }
  | {
      type: 'provider';
      flavor: string;
      region?: string | null;
      namespace?: string | null;
      apiKey?: string | null;
      secret?: string | null;
      subscriptionId?: string | null;
      clientId?: string | null;
      config?: string | null;
    }
  | { type: 'webhook'; url: string };

export interface CycleAclInput {
  roleId: string;
  view: boolean;
  modify: boolean;
  manage: boolean;
}

/** Fields of an image source to create (all required ones) or update (only those given). */
export interface CycleSourceInput {
  name?: string | null;
  identifier?: string | null;
  type?: CycleSourceType | null;
  origin?: CycleOriginInput | null;
  builderIntegrationId?: string | null;
  description?: string | null;
  acl?: CycleAclInput[] | null;
}

/**
 * Changes to a source (cycle.md §4 row 12): an absent key stays as it is; `identifier`, the builder and the
 * description are nullable there, and null clears them.
 */
export interface CycleSourceUpdate {
  name?: string;
  identifier?: string | null;
  origin?: CycleOriginInput;
  builderIntegrationId?: string | null;
  description?: string | null;
}
