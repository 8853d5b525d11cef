/**
 * The upstream layer's composition: connection pools live as long as the server (one per configured upstream);
 * clients are built per request around that request's credentials and trace.
 */
import { UPSTREAM_NAMES, type Config, type UpstreamName } from '../config.js';
import {
  CREDENTIAL_HINTS,
  UnusableCredentials,
  type RenewingServiceCredentials,
  type UpstreamAuth,
  type UpstreamCredentials,
} from '../credentials.js';
import { CfClient, decodeCfError } from './cf/index.js';
import { UaaTokenSource } from './cf/uaa.js';
import { CycleClient, decodeCycleError } from './cycle/index.js';
import { DockerCloudClient, decodeDockerCloudError } from './dockercloud/index.js';
import { CredentialDigester } from './shared/credentialDigest.js';
import { UpstreamCaller, UpstreamHttp, type ErrorDecoder } from './shared/httpClient.js';
import { isRenewing } from './shared/renewingCredential.js';
import type { UpstreamObserver } from './shared/observer.js';
import { NO_DEADLINE, type RequestDeadline } from './shared/deadline.js';
import type { RetryBudget } from './shared/resilience.js';
import type { UpstreamTrace } from './shared/trace.js';

export type UpstreamPools = Partial<Record<UpstreamName, UpstreamHttp>>;

export interface Upstreams {
  cycle: CycleClient;
  cf: CfClient;
  dockercloud: DockerCloudClient;
}

/**
 * @param observer told of every exchange, retry and breaker change (metrics); none by default.
 * @param digester names callers for the circuit breakers; shared by all pools (sharedCircuits.ts re-keys it).
 */
export function createUpstreamPools(
  config: Config,
  observer?: UpstreamObserver,
  digester: CredentialDigester = new CredentialDigester(),
): UpstreamPools {
  const pools: UpstreamPools = {};
  for (const name of UPSTREAM_NAMES) {
    const endpoint = config.upstreams[name];
    if (endpoint) pools[name] = new UpstreamHttp(name, endpoint, observer, digester);
  }
  return pools;
}

/**
 * The service credentials that renew themselves, one per server so that every request shares the token: Cloud
 * Foundry through UAA when CF_CLIENT_ID is configured.
 */
export function createRenewingCredentials(config: Config): RenewingServiceCredentials {
  const cf = config.serviceCredentials.cf;
  const endpoint = config.upstreams.cf;
  if (!cf || 'token' in cf || !endpoint) return {};
  return {
    cf: new UaaTokenSource({
      apiUrl: endpoint.url,
      ...(cf.uaaUrl !== undefined ? { uaaUrl: cf.uaaUrl } : {}),
      clientId: cf.clientId,
      clientSecret: cf.clientSecret,
      timeoutMs: endpoint.timeouts.totalMs,
    }),
  };
}

/** Closes every pool; upstream requests still pending after `graceMs` are aborted. @default no bound */
export async function closeUpstreamPools(pools: UpstreamPools, graceMs?: number): Promise<void> {
  await Promise.all(Object.values(pools).map((pool) => pool.close(graceMs)));
}

export const ERROR_DECODERS: Record<UpstreamName, ErrorDecoder> = {
  cycle: decodeCycleError,
  cf: decodeCfError,
  dockercloud: decodeDockerCloudError,
};

/**
 * One request's clients: its credentials, its trace, the retries it may spend across all upstreams and the deadline
 * all its calls share.
 */
export function createUpstreams(
  pools: UpstreamPools,
  auth: UpstreamAuth,
  trace: UpstreamTrace,
  retryBudget: RetryBudget,
  deadline?: RequestDeadline,
  /** CYCLE_FACTORY_URL: given, the Cycle client can upload images (`uploadImage`). */
  cycleFactoryUrl?: string,
): Upstreams {
  const caller = (name: UpstreamName) =>
    new UpstreamCaller(
      name,
      pools[name],
      auth[name],
      CREDENTIAL_HINTS[name],
      trace,
      ERROR_DECODERS[name],
      retryBudget,
      deadline,
    );
  return {
    cycle: new CycleClient(
      caller('cycle'),
      cycleFactoryUrl === undefined
        ? undefined
        : { url: cycleFactoryUrl, hubId: cycleHubId(auth.cycle), trace, deadline: deadline ?? NO_DEADLINE },
    ),
    cf: new CfClient(caller('cf')),
    dockercloud: new DockerCloudClient(caller('dockercloud')),
  };
}

/** The hub of a request's Cycle credentials (its `x-hub-id` header), which the factory takes as `hub-id`. */
function cycleHubId(credentials: UpstreamCredentials): string | null {
  if (!credentials || credentials instanceof UnusableCredentials || isRenewing(credentials)) return null;
  const hub = credentials['x-hub-id'];
  return typeof hub === 'string' && hub !== '' ? hub : null;
}
