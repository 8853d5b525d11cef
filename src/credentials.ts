/**
 * Per-request upstream credentials (DESIGN.md "Credentials"): forwarded headers win over service credentials from the
 * environment, and are used for that request only. A missing credential is not an error here: the fields that need
 * it fail with UNAUTHENTICATED, the rest of the query still answers.
 */
import type { CredentialSource, ServiceCredentials, UpstreamName } from './config.js';

/** Request headers that carry forwarded credentials (lower case, as node:http delivers them). */
export const FORWARDED_CREDENTIAL_HEADERS = {
  cycleAuthorization: 'x-cycle-authorization',
  cycleHubId: 'x-cycle-hub-id',
  cfAuthorization: 'x-cf-authorization',
  dockerCloudAuthorization: 'x-dockercloud-authorization',
} as const;

/** Upstream request headers per upstream, or null when this request has no credentials for it. */
export type UpstreamAuth = Record<UpstreamName, Record<string, string> | null>;

type HeaderSource = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text.trim() !== '' ? text.trim() : undefined;
}

/** A bare token gets the scheme the upstream expects; a value that already names a scheme is sent as-is. */
function withScheme(value: string, scheme: string): string {
  return /^[A-Za-z]+ \S/.test(value) ? value : `${scheme} ${value}`;
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

export function resolveUpstreamAuth(
  headers: HeaderSource,
  service: ServiceCredentials,
  sources: Readonly<Record<UpstreamName, CredentialSource>> = EITHER,
): UpstreamAuth {
  const fromService = serviceAuth(service);
  const forwarded = forwardedAuth(headers, fromService);
  const pick = (name: UpstreamName) =>
    sources[name] === 'forwarded'
      ? forwarded.own[name]
      : sources[name] === 'service'
        ? fromService[name]
        : forwarded.orService[name];
  return { cycle: pick('cycle'), cf: pick('cf'), dockercloud: pick('dockercloud') };
}

/** The forwarded credentials alone (`own`), and with the service credentials where none was forwarded. */
function forwardedAuth(
  headers: HeaderSource,
  fromService: UpstreamAuth,
): { own: UpstreamAuth; orService: UpstreamAuth } {
  const h = FORWARDED_CREDENTIAL_HEADERS;
  // Forwarded Cycle credentials are the key and the hub together. A forwarded hub id never steers the service key to
  // another hub: the service account's reach is the operator's choice, not the caller's.
  const cycleForwarded = header(headers, h.cycleAuthorization);
  const cycleHub = header(headers, h.cycleHubId);
  const cycle =
    cycleForwarded && cycleHub ? { authorization: withScheme(cycleForwarded, 'Bearer'), 'x-hub-id': cycleHub } : null;

  const cfForwarded = header(headers, h.cfAuthorization);
  const cf = cfForwarded ? { authorization: withScheme(cfForwarded, 'bearer') } : null;

  const dcForwarded = header(headers, h.dockerCloudAuthorization);
  const dockercloud = dcForwarded ? { authorization: dcForwarded } : null;

  return {
    own: { cycle, cf, dockercloud },
    orService: {
      // A forwarded Cycle key without its hub is no credential, and does not fall back to the service key either.
      cycle: cycleForwarded ? cycle : fromService.cycle,
      cf: cf ?? fromService.cf,
      dockercloud: dockercloud ?? fromService.dockercloud,
    },
  };
}

/**
 * The headers of the service credentials, made once per configuration rather than for every request (callers copy
 * them into each upstream request and never change them; frozen to keep it so).
 */
const serviceAuths = new WeakMap<ServiceCredentials, UpstreamAuth>();

function serviceAuth(service: ServiceCredentials): UpstreamAuth {
  let auth = serviceAuths.get(service);
  if (auth === undefined) {
    const { cycle, cf, dockercloud } = service;
    auth = {
      cycle: cycle ? Object.freeze({ authorization: `Bearer ${cycle.apiKey}`, 'x-hub-id': cycle.hubId }) : null,
      cf: cf ? Object.freeze({ authorization: `bearer ${cf.token}` }) : null,
      dockercloud: dockercloud
        ? Object.freeze({
            authorization: `Basic ${Buffer.from(`${dockercloud.username}:${dockercloud.apiKey}`).toString('base64')}`,
          })
        : null,
    };
    serviceAuths.set(service, auth);
  }
  return auth;
}

/** How a client supplies credentials for an upstream: the hint in UNAUTHENTICATED errors. */
export const CREDENTIAL_HINTS: Record<UpstreamName, string> = {
  cycle: `send ${FORWARDED_CREDENTIAL_HEADERS.cycleAuthorization} and ${FORWARDED_CREDENTIAL_HEADERS.cycleHubId}, or configure CYCLE_API_KEY and CYCLE_HUB_ID`,
  cf: `send ${FORWARDED_CREDENTIAL_HEADERS.cfAuthorization}, or configure CF_TOKEN`,
  dockercloud: `send ${FORWARDED_CREDENTIAL_HEADERS.dockerCloudAuthorization} (Basic), or configure DOCKER_CLOUD_USERNAME and DOCKER_CLOUD_API_KEY`,
};
