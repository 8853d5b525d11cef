/**
 * Per-request upstream credentials (DESIGN.md "Credentials"): forwarded headers win over service credentials from the
 * environment, and are used for that request only. A missing credential is not an error here: the fields that need
 * it fail with UNAUTHENTICATED, the rest of the query still answers.
 */
import type { ServiceCredentials, UpstreamName } from './config.js';
import type { RenewingCredential, UpstreamCredential } from './upstreams/shared/renewingCredential.js';

/** Request headers that carry forwarded credentials (lower case, as node:http delivers them). */
export const FORWARDED_CREDENTIAL_HEADERS = {
  cycleAuthorization: 'x-cycle-authorization',
  cycleHubId: 'x-cycle-hub-id',
  cfAuthorization: 'x-cf-authorization',
  dockerCloudAuthorization: 'x-dockercloud-authorization',
} as const;

/** Upstream request headers (or a renewing credential) per upstream, or null when this request has none for it. */
export type UpstreamAuth = Record<UpstreamName, UpstreamCredential | null>;

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

export function resolveUpstreamAuth(
  headers: HeaderSource,
  service: ServiceCredentials,
  renewing: RenewingServiceCredentials = {},
): UpstreamAuth {
  const h = FORWARDED_CREDENTIAL_HEADERS;
  const fromService = serviceAuth(service);
  // Forwarded Cycle credentials are the key and the hub together. A forwarded hub id never steers the service key to
  // another hub: the service account's reach is the operator's choice, not the caller's.
  const cycleForwarded = header(headers, h.cycleAuthorization);
  const cycleHub = header(headers, h.cycleHubId);
  const cycle = cycleForwarded
    ? cycleHub
      ? { authorization: withScheme(cycleForwarded, 'Bearer'), 'x-hub-id': cycleHub }
      : null
    : fromService.cycle;

  const cfForwarded = header(headers, h.cfAuthorization);
  // A UAA client is the server's (its token cache is shared by every request), not part of the configuration.
  const cfService = service.cf && !('token' in service.cf) ? (renewing.cf ?? null) : fromService.cf;
  const cf = cfForwarded ? { authorization: withScheme(cfForwarded, 'Bearer') } : cfService;

  const dcForwarded = header(headers, h.dockerCloudAuthorization);
  const dockercloud = dcForwarded ? { authorization: dcForwarded } : fromService.dockercloud;

  return { cycle, cf, dockercloud };
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
