/**
 * Cycle wire → domain. Envelopes are `{data, includes?}` (cycle.md §2); `includes` maps are keyed by id, creators
 * grouped by kind; meta values sit inside each item. Unset timestamps are the Go zero time (cycle.md §1) and become
 * null. Origins lose their secrets here, so no credential reaches the graph.
 */
import type { UpstreamErrorDetail } from '../../errors.js';
import {
  InvalidUpstreamValue,
  upstreamFloat,
  upstreamInt,
  upstreamString,
  type MaybeInvalid,
} from '../shared/invalidValue.js';
import type {
  CycleImageSourceState,
  CycleImageState,
  CountByState,
  CreatorRef,
  CycleBuildLog,
  CycleCreator,
  CycleCreatorKind,
  CycleImage,
  CycleImageSource,
  CycleIncludes,
  CycleJob,
  CycleJobRef,
  CycleOrigin,
  CycleRelated,
  GitRepository,
  ImageConfig,
  ImageSourceRef,
  KeyValue,
  OciRegistryAuth,
  StateInfo,
} from './types.js';
import type {
  WireBuildLog,
  WireCreatorScope,
  WireErrorEnvelope,
  WireEvents,
  WireImage,
  WireImageSource,
  WireImageSourceRef,
  WireIncludes,
  WireJob,
  WireJobDescriptor,
  WireNamedResource,
  WireOrigin,
  WirePublicAccount,
  WireState,
} from './wire.js';

/** A timestamp, or null when unset (absent, or the Go zero time). */
export function time(value: string | null | undefined): string | null {
  return typeof value !== 'string' || value === '' || value.startsWith('0001-01-01') ? null : value;
}

function events(wire: WireEvents | undefined) {
  return { created: time(wire?.created), updated: time(wire?.updated), deleted: time(wire?.deleted) };
}

const IMAGE_STATES: ReadonlySet<string> = new Set<CycleImageState>([
  'new',
  'uploading',
  'downloading',
  'building',
  'verifying',
  'saving',
  'live',
  'deleting',
  'deleted',
]);
const SOURCE_STATES: ReadonlySet<string> = new Set<CycleImageSourceState>(['live', 'deleting', 'deleted']);

/** A state Cycle sent that is not in `known` (one added after this gateway) becomes `unknown`, its name kept. */
function state<S extends string>(wire: WireState, known: ReadonlySet<string>): StateInfo<S | 'unknown'> {
  const error =
    wire.error && (wire.error.message || wire.error.time)
      ? { message: wire.error.message ?? null, time: time(wire.error.time) }
      : null;
  const upstreamState = typeof wire.current === 'string' ? wire.current : '';
  const current = (known.has(upstreamState) ? upstreamState : 'unknown') as S | 'unknown';
  return { current, upstreamState, changed: time(wire.changed), error };
}

function keyValues(map: Record<string, string> | undefined | null): KeyValue[] {
  return map ? Object.entries(map).map(([key, value]) => ({ key, value })) : [];
}

/**
 * A state map (`meta.*_count.state`). Cycle's spec leaves it open (`images_count.state` names its states but allows
 * others of any type), so an entry whose count is not a finite number is left out: the other states still count.
 */
function counts(map: Record<string, unknown> | undefined): CountByState[] {
  if (typeof map !== 'object' || map === null) return [];
  const entries: CountByState[] = [];
  for (const [s, count] of Object.entries(map)) {
    if (typeof count === 'number' && Number.isFinite(count)) entries.push({ state: s, count });
  }
  return entries;
}

function creatorRef(wire: WireCreatorScope | undefined): CreatorRef | null {
  return wire ? { kind: wire.type as CycleCreatorKind, id: wire.id } : null;
}

function str(details: Record<string, unknown> | undefined, key: string): string | null {
  const value = details?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function hasAny(details: Record<string, unknown> | undefined | null, ...keys: string[]): boolean {
  return keys.some((key) => {
    const value = details?.[key];
    return value !== undefined && value !== null && value !== '';
  });
}

function existing(details: Record<string, unknown> | undefined): string | null {
  const value = details?.existing as { source_id?: string } | null | undefined;
  return value?.source_id ?? null;
}

/** A URL without userinfo or query string: either could carry a credential (signed URLs, tokens in webhooks). */
export function withoutCredentials(raw: string | null): string | null {
  if (raw === null) return null;
  // Without `@`, `?` or `#` there is no userinfo, query or fragment to remove: skip the URL parser (hot path).
  if (!/[@?#]/.test(raw)) return raw;
  // An scp-like git address (`git@github.com:acme/api.git`) is not a URL: keep the host and path, drop the user.
  const scp = /^[^@/:]+@([^@/:]+):(?!\/\/)([^?#]*)$/.exec(raw);
  if (scp) return `${scp[1]}:${scp[2]}`;
  // Anything else that does not parse could hide a credential anywhere: show nothing (and throw nothing: decoding is hot).
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * A URL the graph shows (without credentials): a value that is no URL (a host without a scheme, say) fails the field
 * that shows it, since any part of it could be a credential and no part can be told apart safely.
 */
function shownUrl(raw: string | null, field: string): MaybeInvalid<string> | null {
  if (raw === null) return null;
  return (
    withoutCredentials(raw) ?? new InvalidUpstreamValue('cycle', field, 'not a URL (hidden: it may carry a credential)')
  );
}

/** The host of a webhook URL: a value that is no absolute URL fails the field instead of the whole origin. */
function webhookHost(raw: string | null, field: string): MaybeInvalid<string> | null {
  if (raw === null) return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  return url?.host ? url.host : new InvalidUpstreamValue('cycle', field, 'not an absolute URL with a host');
}

export function decodeOrigin(wire: WireOrigin): CycleOrigin {
  const d = wire.details;
  switch (wire.type) {
    case 'docker-hub':
      return {
        type: 'docker-hub',
        target: str(d, 'target') ?? '',
        username: str(d, 'username'),
        hasCredentials: hasAny(d, 'token'),
        existingSourceId: existing(d),
      };
    case 'docker-registry':
      return {
        type: 'docker-registry',
        target: str(d, 'target') ?? '',
        url: shownUrl(str(d, 'url'), 'origin.details.url') ?? '',
        username: str(d, 'username'),
        hasCredentials: hasAny(d, 'token', 'password'),
        existingSourceId: existing(d),
      };
    case 'oci-registry':
      return {
        type: 'oci-registry',
        target: str(d, 'target') ?? '',
        url: shownUrl(str(d, 'url'), 'origin.details.url') ?? '',
        existingSourceId: existing(d),
        auth: ociAuth(d?.auth),
      };
    case 'docker-file':
      return {
        type: 'docker-file',
        existingSourceId: existing(d),
        repo: gitRepository(d?.repo),
        targzUrl: withoutCredentials(str(d, 'targz_url')),
        contextDir: str(d, 'context_dir'),
        buildFile: str(d, 'build_file'),
        registryCredentials: Array.isArray(d?.credentials)
          ? (d.credentials as Record<string, unknown>[]).map((c) => ({
              url: shownUrl(str(c, 'url'), 'origin.details.credentials[].url') ?? '',
              username: str(c, 'username'),
            }))
          : [],
      };
    case 'cycle-upload':
      return { type: 'cycle-upload', expires: time(str(d, 'expires')), hasToken: hasAny(d, 'token') };
    case 'cycle-source':
      return { type: 'cycle-source', sourceId: str(d, 'source_id') ?? '' };
    default:
      return { type: 'none' };
  }
}

function ociAuth(raw: unknown): OciRegistryAuth | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const auth = raw as { type?: string; details?: Record<string, unknown> };
  const details = auth.details;
  switch (auth.type) {
    case 'user':
      return { type: 'user', username: str(details, 'username'), hasToken: hasAny(details, 'token') };
    case 'provider': {
      const credentials = details?.credentials as Record<string, unknown> | undefined;
      return {
        type: 'provider',
        flavor: str(details, 'flavor') ?? 'unknown',
        region: str(credentials, 'region'),
        namespace: str(credentials, 'namespace'),
        hasCredentials: hasAny(credentials, 'api_key', 'secret', 'config', 'client_id'),
      };
    }
    case 'webhook':
      return { type: 'webhook', host: webhookHost(str(details, 'url'), 'origin.details.auth.details.url') };
    default:
      return null;
  }
}

function gitRepository(raw: unknown): GitRepository | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const repo = raw as {
    url?: string;
    branch?: string | null;
    auth?: { type?: string; credentials?: Record<string, unknown> } | null;
    ref?: { type: string; value: string } | null;
  };
  const authType = repo.auth?.type === 'http' || repo.auth?.type === 'ssh' ? repo.auth.type : null;
  return {
    url: shownUrl(typeof repo.url === 'string' ? repo.url : null, 'origin.details.repo.url') ?? '',
    branch: repo.branch ?? null,
    ref: repo.ref ? { type: repo.ref.type, value: repo.ref.value } : null,
    authType,
    hasCredentials: hasAny(repo.auth?.credentials, 'password', 'private_key', 'passphrase'),
  };
}

function sourceRef(wire: WireImageSourceRef | undefined): ImageSourceRef | null {
  if (!wire?.details) return null;
  return {
    type: wire.type as ImageSourceRef['type'],
    sourceId: wire.details.id,
    stackId: wire.details.stack_id ?? null,
    containers: wire.details.containers ?? [],
    origin: decodeOrigin(wire.details.origin),
    override: wire.override
      ? { target: wire.override.target ?? null, targzUrl: withoutCredentials(wire.override.targz_url ?? null) }
      : null,
  };
}

/**
 * An image's config, each field decoded when it is read. Most queries select none of it, yet it is the bulk of an
 * image (the env and labels maps): decoding it for every image of a page was about a third of decoding the page.
 * Reading a field gives what decoding it up front would have; a field read twice is decoded twice (an alias).
 */
class ImageConfigFromWire implements ImageConfig {
  readonly #wire: WireImage['config'];

  constructor(wire: WireImage['config']) {
    this.#wire = wire;
  }

  get user() {
    return this.#wire.user;
  }
  get ports() {
    const ports: unknown = this.#wire.ports;
    if (ports === undefined || ports === null) return [];
    if (!Array.isArray(ports)) return new InvalidUpstreamValue('cycle', 'config.ports', 'not a list');
    return (ports as WireImage['config']['ports']).map((port, i) => ({
      host: upstreamFloat('cycle', port?.host, `config.ports.${i}.host`),
      container: upstreamFloat('cycle', port?.container, `config.ports.${i}.container`),
      type: port?.type,
    }));
  }
  get env() {
    return keyValues(this.#wire.env);
  }
  get labels() {
    return keyValues(this.#wire.labels);
  }
  get command() {
    return this.#wire.command ?? [];
  }
  get entrypoint() {
    return this.#wire.entrypoint ?? [];
  }
  get volumes() {
    return (this.#wire.volumes ?? []).map((v) => ({ path: v.path ?? null, mode: v.mode ?? null }));
  }
  get workdir() {
    return this.#wire.workdir;
  }
  get signalStop() {
    return this.#wire.signal_stop;
  }
}

export function decodeImage(wire: WireImage): CycleImage {
  const image: CycleImage = {
    id: wire.id,
    hubId: wire.hub_id,
    name: upstreamString('cycle', wire.name, 'name'),
    size: upstreamFloat('cycle', wire.size, 'size'),
    description: wire.about?.description ?? null,
    backend: {
      provider: wire.backend.provider,
      size: upstreamFloat('cycle', wire.backend.size, 'backend.size'),
      fileName: wire.backend.file_name,
      fileId: wire.backend.file_id,
    },
    requiresNvidiaGpu: wire.requires?.nvidia_gpu ?? false,
    build: wire.build ? { args: keyValues(wire.build.args), useDisk: wire.build.use_disk ?? false } : null,
    builderIntegrationId: wire.builder?.integration_id ?? null,
    config: new ImageConfigFromWire(wire.config),
    sourceRef: sourceRef(wire.source),
    creatorRef: creatorRef(wire.creator),
    factory: wire.factory
      ? {
          nodeId: wire.factory.node_id ?? null,
          cached: time(wire.factory.cached),
          acknowledged: time(wire.factory.acknowledged),
        }
      : null,
    state: state(wire.state, IMAGE_STATES),
    events: events(wire.events),
  };
  const meta = wire.meta?.containers_count;
  if (meta)
    image.containersCount = {
      total: upstreamInt('cycle', meta.total, 'meta.containers_count.total'),
      available: upstreamInt('cycle', meta.available, 'meta.containers_count.available'),
      byState: counts(meta.state),
    };
  return image;
}

export function decodeSource(wire: WireImageSource): CycleImageSource {
  const source: CycleImageSource = {
    id: wire.id,
    identifier: wire.identifier,
    type: wire.type as CycleImageSource['type'],
    hubId: wire.hub_id,
    name: wire.name,
    description: wire.about?.description ?? null,
    origin: decodeOrigin(wire.origin),
    builderIntegrationId: wire.builder?.integration_id ?? null,
    creatorRef: creatorRef(wire.creator),
    acl: wire.acl?.roles ? Object.entries(wire.acl.roles).map(([roleId, entry]) => ({ roleId, ...entry })) : null,
    state: state(wire.state, SOURCE_STATES),
    events: events(wire.events),
  };
  const meta = wire.meta?.images_count;
  if (meta)
    source.imagesCount = {
      total: upstreamFloat('cycle', meta.total, 'meta.images_count.total'),
      byState: counts(meta.state),
    };
  return source;
}

/** Include group → creator kind (cycle.md §5 Includes; the mapping is the note's inference). */
const CREATOR_GROUPS: Record<string, CycleCreatorKind> = {
  accounts: 'account',
  employees: 'employee',
  visitors: 'visitor',
  environments: 'environment',
  api_keys: 'api-key',
};

/** Creators are keyed by `kind:id`: ids of different kinds could in principle collide. */
export function creatorKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

function decodeCreator(kind: CycleCreatorKind, wire: WirePublicAccount | WireNamedResource): CycleCreator {
  if ('email' in wire) {
    const name = [wire.name?.first, wire.name?.last].filter(Boolean).join(' ');
    return { kind, id: wire.id, name: name || null, email: wire.email?.address ?? null, identifier: null };
  }
  // API key creators may carry the key's `secret` (ApiKeyCreator in the spec): only the name is kept.
  return { kind, id: wire.id, name: wire.name ?? null, email: null, identifier: wire.identifier ?? null };
}

function decodeRelated(wire: WireNamedResource): CycleRelated {
  return {
    id: wire.id,
    name: wire.name ?? wire.about?.description ?? '',
    identifier: wire.identifier ?? null,
    state: wire.state?.current ?? null,
    created: time(wire.events?.created),
    vendor: wire.vendor ?? null,
    stackId: wire.stack_id ?? null,
    version: wire.about?.version ?? null,
  };
}

function mapValues<W, D>(record: Record<string, W> | undefined, decode: (wire: W) => D): Map<string, D> {
  const map = new Map<string, D>();
  if (record) for (const [id, wire] of Object.entries(record)) map.set(id, decode(wire));
  return map;
}

export function decodeIncludes(wire: WireIncludes | undefined): CycleIncludes {
  const creators = new Map<string, CycleCreator>();
  for (const [group, members] of Object.entries(wire?.creators ?? {})) {
    const kind = CREATOR_GROUPS[group];
    if (!kind || !members) continue;
    for (const [id, member] of Object.entries(members)) creators.set(creatorKey(kind, id), decodeCreator(kind, member));
  }
  const integrationIdentifiers = new Map<string, string>();
  for (const [identifier, ids] of Object.entries(wire?.['integrations:identifiers'] ?? {})) {
    if (ids[0]) integrationIdentifiers.set(identifier, ids[0]);
  }
  return {
    sources: mapValues(wire?.sources, decodeSource),
    creators,
    stacks: mapValues(wire?.stacks, decodeRelated),
    stackBuilds: mapValues(wire?.stack_builds, decodeRelated),
    integrations: mapValues(wire?.integrations, decodeRelated),
    integrationIdentifiers,
  };
}

export function decodeBuildLog(wire: WireBuildLog): CycleBuildLog {
  return { id: wire.id, imageId: wire.image_id, log: wire.log, created: time(wire.events?.created) };
}

export function decodeJob(wire: WireJob): CycleJob {
  return {
    id: wire.id,
    hubId: wire.hub_id,
    queue: wire.queue,
    caption: wire.caption,
    state: wire.state.current as CycleJob['state'],
    error: wire.state.error?.message ?? null,
    queued: time(wire.events?.queued),
    started: time(wire.events?.started),
    completed: time(wire.events?.completed),
    schedule: time(wire.schedule),
    expires: time(wire.expires),
    tasks: (wire.tasks ?? []).map((task) => ({
      id: task.id,
      caption: task.caption,
      header: task.header,
      state: task.state?.current ?? null,
      error: task.error?.message ?? null,
      steps: (task.steps ?? []).map((s) => ({
        caption: s.caption,
        description: s.description,
        startedAt: time(s.started),
        completedAt: time(s.completed),
      })),
      startedAt: time(task.events?.started),
      completedAt: time(task.events?.completed),
    })),
    creatorRef: creatorRef(wire.creator),
  };
}

/** `data.job.id`, or the older `data.job_id` (cycle.md §6, C). */
export function decodeJobRef(wire: WireJobDescriptor): CycleJobRef | null {
  const jobId = wire.job?.id ?? wire.job_id;
  return jobId ? { action: wire.action, jobId } : null;
}

/** The ErrorEnvelope (cycle.md §7), or the OAuth-style `{error, error_description}` a 401 may use. */
export function decodeCycleError(body: unknown): UpstreamErrorDetail {
  const envelope = body as WireErrorEnvelope;
  if (typeof envelope.error === 'string') {
    return { upstreamCode: envelope.error, detail: envelope.error_description ?? envelope.error };
  }
  const error = envelope.error;
  if (!error) return {};
  const detail = [error.title, error.detail].filter(Boolean).join(': ');
  const result: UpstreamErrorDetail = {};
  if (error.code) result.upstreamCode = error.code.replace(/_/g, '-');
  if (detail) result.detail = error.source ? `${detail} (at ${error.source})` : detail;
  return result;
}
