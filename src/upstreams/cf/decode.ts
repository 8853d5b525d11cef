/**
 * Cloud Foundry v3 wire → domain. Lists are `{pagination: {total_results, next, …}, resources}` (cf-v3-packages.md
 * §5); errors are `{errors: [{code, title, detail}]}` (§6). A docker package's password never leaves this file: CF
 * answers `"***"` when one is set (§3), which becomes `hasPassword`.
 */
import type { UpstreamErrorDetail } from '../../errors.js';
import {
  CF_DROPLET_STATES,
  CF_PACKAGE_STATES,
  type CfApp,
  type CfChecksum,
  type CfDroplet,
  type CfJob,
  type CfMetadata,
  type CfPackage,
  type KeyValue,
} from './types.js';
import type {
  WireApp,
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

function checksum(wire: { type?: string | null; value?: string | null } | null | undefined): CfChecksum | null {
  return wire ? { type: wire.type ?? null, value: wire.value ?? null } : null;
}

/** The last path segment of a link: the guid of the resource it points at. */
export function guidFromHref(link: WireLink | undefined): string | null {
  if (!link?.href) return null;
  const path = link.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last === '' ? null : last;
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
    appGuid: guidOf(wire.relationships?.app),
    metadata: metadata(wire.metadata),
  };
  if (wire.type === 'docker') {
    const data = (wire.data ?? {}) as { image?: string; username?: string | null; password?: string | null };
    return {
      ...common,
      type: 'docker',
      docker: {
        image: data.image ?? '',
        username: data.username ?? null,
        hasPassword: data.password !== null && data.password !== undefined && data.password !== '',
      },
    };
  }
  const data = (wire.data ?? {}) as { checksum?: { type: string; value: string | null } | null; error?: string | null };
  return { ...common, type: 'bits', bits: { checksum: checksum(data.checksum), error: data.error ?? null } };
}

export function decodeApp(wire: WireApp): CfApp {
  return {
    guid: wire.guid,
    name: wire.name,
    state: wire.state as CfApp['state'],
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
