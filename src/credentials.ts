/**
 * Per-request upstream credentials (DESIGN.md "Credentials"): forwarded headers win over service credentials from the
 * environment, and are used for that request only. A missing credential is not an error here: the fields that need
 * it fail with UNAUTHENTICATED, the rest of the query still answers. Forwarded headers are checked as the
 * environment's are (config/credentials.ts `readServiceCredentials`): a Cycle key goes with a 24-hex hub id, a
 * Docker Cloud header is `Basic base64(username:apikey)`. Headers that fail are an `UnusableCredentials` naming exactly what is
 * wrong (never quoting a value): the fields that need that upstream fail with BAD_USER_INPUT, before any request.
 */
import type { CredentialSource, ServiceCredentials, UpstreamName } from './config.js';
import { isRenewing, type RenewingCredential, type UpstreamCredential } from './upstreams/shared/renewingCredential.js';

/** Request headers that carry forwarded credentials (lower case, as node:http delivers them). */
export const FORWARDED_CREDENTIAL_HEADERS = {
  cycleAuthorization: 'x-cycle-authorization',
  cycleHubId: 'x-cycle-hub-id',
  cfAuthorization: 'x-cf-authorization',
  dockerCloudAuthorization: 'x-dockercloud-authorization',
} as const;

/** Forwarded credential headers that cannot be used, and why (the problem names headers, never values). */
export class UnusableCredentials {
  constructor(readonly problem: string) {}
}

/**
 * Upstream request headers (or a renewing credential), null when this request has no credentials for the upstream,
 * or why they are unusable.
 */
export type UpstreamCredentials = UpstreamCredential | UnusableCredentials | null;

/** Upstream credentials per upstream (see UpstreamCredentials). */
export type UpstreamAuth = Record<UpstreamName, UpstreamCredentials>;

/** The server's renewing service credentials (CF through UAA), built once per server. */
export type RenewingServiceCredentials = Partial<Record<UpstreamName, RenewingCredential>>;

type HeaderSource = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text.trim() !== '' ? text.trim() : undefined;
}

/**
 * A bare token gets the scheme the upstream expects; a value that already names a scheme keeps it, with `Bearer` in
 * its canonical casing (schemes are case-insensitive, RFC 9110 §11.1, but some proxies compare `Bearer` exactly).
 */
function withScheme(value: string, scheme: string): string {
  if (!/^[A-Za-z]+ \S/.test(value)) return `${scheme} ${value}`;
  return /^bearer /i.test(value) ? `Bearer ${value.slice('bearer '.length)}` : value;
}

const EITHER: Readonly<Record<UpstreamName, CredentialSource>> = {
  cycle: 'either',
  cf: 'either',
  dockercloud: 'either',
};

/** Whether the request carries any forwarded credential header (for any upstream). */
export function hasForwardedCredentials(headers: HeaderSource): boolean {
  return Object.values(FORWARDED_CREDENTIAL_HEADERS).some((name) => header(headers, name) !== undefined);
}

export interface CredentialOptions {
  /** Where each upstream's credentials may come from (`<UPSTREAM>_CREDENTIALS`). @default `either` for all */
  sources?: Readonly<Record<UpstreamName, CredentialSource>>;
  /** The server's renewing service credentials (CF through UAA). */
  renewing?: RenewingServiceCredentials;
}

export function resolveUpstreamAuth(
  headers: HeaderSource,
  service: ServiceCredentials,
  { sources = EITHER, renewing = {} }: CredentialOptions = {},
): UpstreamAuth {
  const h = FORWARDED_CREDENTIAL_HEADERS;
  const fromService = serviceAuth(service);
  // A UAA client is the server's (its token cache is shared by every request), not part of the configuration.
  if (service.cf && !('token' in service.cf)) fromService.cf = renewing.cf ?? null;
  const cfForwarded = header(headers, h.cfAuthorization);
  const dcForwarded = header(headers, h.dockerCloudAuthorization);
  // undefined: nothing forwarded for that upstream (a forwarded Cycle hub id without its key is unusable, not absent).
  const forwarded: Record<UpstreamName, UpstreamCredentials | undefined> = {
    cycle: forwardedCycle(header(headers, h.cycleAuthorization), header(headers, h.cycleHubId)),
    cf: cfForwarded ? forwardedCf(cfForwarded) : undefined,
    dockercloud: dcForwarded ? forwardedDockerCloud(dcForwarded) : undefined,
  };
  const pick = (name: UpstreamName): UpstreamCredentials => {
    switch (sources[name]) {
      case 'forwarded':
        return forwarded[name] ?? null;
      case 'service':
        return fromService[name];
      case 'either':
        return forwarded[name] ?? fromService[name];
    }
  };
  return { cycle: pick('cycle'), cf: pick('cf'), dockercloud: pick('dockercloud') };
}

const HUB_ID = /^[0-9a-f]{24}$/;
/** `<scheme> <credentials>`, the form of an Authorization header that names its scheme. */
const SCHEMED = /^([A-Za-z][A-Za-z0-9+.-]*) +(\S.*)$/;

/** The scheme a header value names, lower case, or null when the value is a bare credential. */
function schemeOf(value: string): string | null {
  return SCHEMED.exec(value)?.[1]?.toLowerCase() ?? null;
}

/**
 * Forwarded Cycle credentials are the key and the hub together (cycle.md §1: both schemes are required), or
 * undefined when neither header is sent. A forwarded hub id never steers the service key to another hub: the service
 * account's reach is the operator's choice, not the caller's.
 */
function forwardedCycle(key: string | undefined, hubId: string | undefined): UpstreamCredentials | undefined {
  const h = FORWARDED_CREDENTIAL_HEADERS;
  if (key === undefined && hubId === undefined) return undefined;
  if (key === undefined)
    return new UnusableCredentials(
      `${h.cycleHubId} was sent without ${h.cycleAuthorization} (the API key it goes with)`,
    );
  if (hubId === undefined)
    return new UnusableCredentials(
      `${h.cycleAuthorization} was sent without ${h.cycleHubId} (the hub id, 24 hexadecimal characters)`,
    );
  if (!HUB_ID.test(hubId))
    return new UnusableCredentials(`${h.cycleHubId} is not a Cycle hub id (24 lower-case hexadecimal characters)`);
  const scheme = schemeOf(key);
  if (scheme !== null && scheme !== 'bearer')
    return new UnusableCredentials(`${h.cycleAuthorization} must be an API key, bare or as \`Bearer <key>\``);
  return { authorization: withScheme(key, 'Bearer'), 'x-hub-id': hubId };
}

/** A UAA token, bare or with its `bearer` scheme (cf-v3-packages.md §1). */
function forwardedCf(value: string): UpstreamCredentials {
  const scheme = schemeOf(value);
  if (scheme !== null && scheme !== 'bearer')
    return new UnusableCredentials(
      `${FORWARDED_CREDENTIAL_HEADERS.cfAuthorization} must be a UAA token, bare or as \`bearer <token>\``,
    );
  return { authorization: withScheme(value, 'Bearer') };
}

/** `Basic base64(<username>:<apikey>)` (docker-cloud-repository.md §1), sent as given. */
function forwardedDockerCloud(value: string): UpstreamCredentials {
  const name = FORWARDED_CREDENTIAL_HEADERS.dockerCloudAuthorization;
  const form = `\`Basic base64(username:apikey)\``;
  const match = /^basic +(\S+)$/i.exec(value);
  if (!match) return new UnusableCredentials(`${name} must be ${form}`);
  const encoded = match[1]!;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    return new UnusableCredentials(`${name} must be ${form}: its credentials are not base64`);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return new UnusableCredentials(`${name} must be ${form}: no \`:\` between username and API key`);
  if (colon === 0) return new UnusableCredentials(`${name} must be ${form}: the username is empty`);
  if (colon === decoded.length - 1) return new UnusableCredentials(`${name} must be ${form}: the API key is empty`);
  return { authorization: value };
}

/**
 * The user a Docker Cloud credential (`Basic base64(user:apikey)`) authenticates, which is also that user's namespace
 * (docker-cloud-repository.md §1: without a namespace Docker Cloud uses the authenticated user's); null without a
 * usable credential. The user name is not a secret (it is a namespace in resource URIs); the API key stays one.
 */
export function dockerCloudUser(credentials: UpstreamCredentials): string | null {
  if (!credentials || credentials instanceof UnusableCredentials || isRenewing(credentials)) return null;
  const match = /^basic +(\S+)$/i.exec(credentials.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}

/** The headers of the service credentials, for one request. */
function serviceAuth(service: ServiceCredentials): UpstreamAuth {
  const { cycle, cf, dockercloud } = service;
  return {
    cycle: cycle ? { authorization: `Bearer ${cycle.apiKey}`, 'x-hub-id': cycle.hubId } : null,
    cf: cf && 'token' in cf ? { authorization: `Bearer ${cf.token}` } : null,
    dockercloud: dockercloud
      ? { authorization: `Basic ${Buffer.from(`${dockercloud.username}:${dockercloud.apiKey}`).toString('base64')}` }
      : null,
  };
}

/** How a client supplies credentials for an upstream: the hint in UNAUTHENTICATED errors. */
export const CREDENTIAL_HINTS: Record<UpstreamName, string> = {
  cycle: `send ${FORWARDED_CREDENTIAL_HEADERS.cycleAuthorization} and ${FORWARDED_CREDENTIAL_HEADERS.cycleHubId}, or configure CYCLE_API_KEY and CYCLE_HUB_ID`,
  cf: `send ${FORWARDED_CREDENTIAL_HEADERS.cfAuthorization}, or configure CF_TOKEN, or CF_CLIENT_ID and CF_CLIENT_SECRET`,
  dockercloud: `send ${FORWARDED_CREDENTIAL_HEADERS.dockerCloudAuthorization} (Basic), or configure DOCKER_CLOUD_USERNAME and DOCKER_CLOUD_API_KEY`,
};
