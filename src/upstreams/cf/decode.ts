/**
 * Cloud Foundry v3 wire → domain. Lists are `{pagination: {total_results, next, …}, resources}` (cf-v3-packages.md
 * §5); errors are `{errors: [{code, title, detail}]}` (§6). A docker package's password never leaves this file: CF
 * answers `"***"` when one is set (§3), which becomes `hasPassword`.
 */
import type { UpstreamErrorDetail } from '../../errors.js';
import { upstreamEnum, upstreamString } from '../shared/invalidValue.js';
import {
  CF_APP_STATES,
  CF_DROPLET_STATES,
  CF_PACKAGE_STATES,
  type CfApp,
  type CfChecksum,
  type CfDockerData,
  type CfDroplet,
  type CfJob,
  type CfMetadata,
  type CfPackage,
  type KeyValue,
} from './types.js';
import type {
  WireApp,
  WireChecksum,
  WireDockerData,
  WireDroplet,
  WireErrorEnvelope,
  WireJob,
  WireLink,
  WireMetadata,
  WirePackage,
  WireToOne,
} from './wire.js';

function keyValues(map: Record<string, string | null> | null | undefined): KeyValue[] {
  return map ? Object.entries(map).map(([key, value]) => ({ key, value })) : [];
}

function metadata(wire: WireMetadata | undefined): CfMetadata {
  return { labels: keyValues(wire?.labels), annotations: keyValues(wire?.annotations) };
}

function guidOf(relationship: WireToOne | undefined): string | null {
  return relationship?.data?.guid ?? null;
}

function checksum(
  wire: WireChecksum | { type?: string | null; value?: string | null } | null | undefined,
): CfChecksum | null {
  return wire ? { type: wire.type ?? null, value: wire.value ?? null } : null;
}

/** The last path segment of a link: the guid of the resource it points at. */
export function guidFromHref(link: WireLink | undefined): string | null {
  if (!link?.href) return null;
  const path = link.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last === '' ? null : last;
}

function isNonEmpty(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && value !== '';
}

/**
 * Either docker data shape (wire.ts `WireDockerData`): the early-v3 `credentials` object when present, else the
 * current top-level `username`/`password`. Only whether a password is set survives decoding, never its value.
 */
function dockerData(data: WireDockerData): CfDockerData {
  const credentials = data.credentials ?? null;
  return {
    image: data.image ?? '',
    username: (credentials ? credentials.user : data.username) ?? null,
    hasPassword: isNonEmpty(credentials ? credentials.password : data.password),
    email: credentials?.email ?? null,
    loginServer: credentials?.login_server ?? null,
    storeImage: data.store_image ?? null,
    hash: checksum(data.hash),
    error: data.error ?? null,
  };
}

/** A state not in `known` (one CF added after this gateway) becomes `UNKNOWN`; `upstreamState` keeps CF's name. */
function knownState<S extends string>(
  raw: unknown,
  known: readonly S[],
): { state: S | 'UNKNOWN'; upstreamState: string } {
  const upstreamState = typeof raw === 'string' ? raw : '';
  return {
    state: (known as readonly string[]).includes(upstreamState) ? (upstreamState as S) : 'UNKNOWN',
    upstreamState,
  };
}

export function decodePackage(wire: WirePackage): CfPackage {
  const common = {
    guid: wire.guid,
    ...knownState(wire.state, CF_PACKAGE_STATES),
    createdAt: wire.created_at,
    updatedAt: wire.updated_at ?? null,
    // The early-v3 create links the app (`links.app`) and has no `relationships` (seeds 000/001).
    appGuid: guidOf(wire.relationships?.app) ?? guidFromHref(wire.links?.app),
    metadata: metadata(wire.metadata),
  };
  if (wire.type === 'docker') {
    return { ...common, type: 'docker', docker: dockerData((wire.data ?? {}) as WireDockerData) };
  }
  // The early-v3 route names the checksum `hash` (seed 000's data, for a docker package).
  const data = (wire.data ?? {}) as {
    checksum?: WireChecksum | null;
    hash?: WireChecksum | null;
    error?: string | null;
  };
  return {
    ...common,
    type: 'bits',
    bits: { checksum: checksum(data.checksum ?? data.hash), error: data.error ?? null },
  };
}

export function decodeApp(wire: WireApp): CfApp {
  return {
    guid: wire.guid,
    name: upstreamString('cf', wire.name, 'name'),
    state: upstreamEnum('cf', wire.state, CF_APP_STATES, 'state'),
    createdAt: wire.created_at,
    updatedAt: wire.updated_at ?? null,
    lifecycle: {
      type: wire.lifecycle?.type ?? 'buildpack',
      buildpacks: wire.lifecycle?.data?.buildpacks ?? [],
      stack: wire.lifecycle?.data?.stack ?? null,
    },
    spaceGuid: guidOf(wire.relationships?.space),
    metadata: metadata(wire.metadata),
  };
}

export function decodeDroplet(wire: WireDroplet): CfDroplet {
  return {
    guid: wire.guid,
    ...knownState(wire.state, CF_DROPLET_STATES),
    error: wire.error ?? null,
    lifecycleType: wire.lifecycle?.type ?? null,
    checksum: checksum(wire.checksum),
    buildpacks: (wire.buildpacks ?? []).map((b) => ({
      name: b.name ?? null,
      detectOutput: b.detect_output ?? null,
      version: b.version ?? null,
      buildpackName: b.buildpack_name ?? null,
    })),
    stack: wire.stack ?? null,
    image: wire.image ?? null,
    createdAt: wire.created_at,
    updatedAt: wire.updated_at ?? null,
    appGuid: guidOf(wire.relationships?.app),
    metadata: metadata(wire.metadata),
  };
}

export function decodeJob(wire: WireJob): CfJob {
  return {
    guid: wire.guid,
    operation: wire.operation,
    state: wire.state as CfJob['state'],
    createdAt: wire.created_at ?? null,
    updatedAt: wire.updated_at ?? null,
    errors: (wire.errors ?? []).map((e) => ({
      code: typeof e.code === 'number' ? e.code : null,
      title: typeof e.title === 'string' ? e.title : null,
      detail: typeof e.detail === 'string' ? e.detail : null,
    })),
    warnings: (wire.warnings ?? []).map((w) => w.detail).filter((d): d is string => typeof d === 'string'),
    packageGuid: guidFromHref(wire.links?.package),
  };
}

/** §6: the first error's `title` is the code to use programmatically; every `detail` is kept for people. */
export function decodeCfError(body: unknown): UpstreamErrorDetail {
  const errors = (body as WireErrorEnvelope).errors;
  if (!Array.isArray(errors) || errors.length === 0) return {};
  const result: UpstreamErrorDetail = {};
  const first = errors[0]!;
  if (typeof first.title === 'string' && first.title !== '') result.upstreamCode = first.title;
  const detail = errors
    .map((e) => e.detail)
    .filter((d) => typeof d === 'string' && d !== '')
    .join('; ');
  if (detail) result.detail = detail;
  return result;
}
