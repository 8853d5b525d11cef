import type { SettingsReader } from './reader.js';
import { oneOf, setting, text, url, type Setting, type SettingWithDefault } from './setting.js';
import { UPSTREAM_NAMES, type UpstreamName } from './upstreams.js';

/** The upstreams' service credentials, and where each upstream's credentials may come from. */

export interface ServiceCredentials {
  cycle?: { apiKey: string; hubId: string };
  /** A fixed bearer token (CF_TOKEN), or a UAA client whose tokens are fetched and renewed (upstreams/cf/uaa.ts). */
  cf?: CfServiceCredentials;
  dockercloud?: { username: string; apiKey: string };
}

export type CfServiceCredentials =
  | { token: string }
  | {
      /** CF_UAA_URL; absent: discovered from Cloud Controller's root document. */
      uaaUrl?: string;
      clientId: string;
      clientSecret: string;
    };

/**
 * Where an upstream's credentials may come from (`<UPSTREAM>_CREDENTIALS`): `forwarded` only from the caller's
 * headers (behind a router, so that a router that forwards nothing fails loudly instead of answering with the
 * service account), `service` only from the environment (forwarded headers ignored), `either` forwarded first, then
 * the service credentials.
 */
export type CredentialSource = 'forwarded' | 'service' | 'either';

export const CYCLE_API_KEY = setting({
  name: 'CYCLE_API_KEY',
  type: text(),
  secret: true,
  example: 'secret…',
  description: 'Cycle service credentials (both or neither; hub id 24-hex)',
});
export const CYCLE_HUB_ID = setting({
  name: 'CYCLE_HUB_ID',
  type: text(),
  example: '651586fca6078e98982dbd90',
  sameRowAs: CYCLE_API_KEY,
});
export const CF_TOKEN = setting({
  name: 'CF_TOKEN',
  type: text(),
  secret: true,
  example: 'eyJhbGciOi…',
  description: 'Cloud Foundry service token (UAA bearer), not renewed; for renewing tokens use `CF_CLIENT_ID`',
});
export const CF_CLIENT_ID = setting({
  name: 'CF_CLIENT_ID',
  type: text(),
  example: 'imagegraph',
  description: 'a UAA client (`client_credentials`): tokens fetched, cached and renewed. See docs/configuration.md',
});
export const CF_CLIENT_SECRET = setting({
  name: 'CF_CLIENT_SECRET',
  type: text(),
  secret: true,
  example: 'secret…',
  sameRowAs: CF_CLIENT_ID,
});
export const CF_UAA_URL = setting({
  name: 'CF_UAA_URL',
  type: url(),
  defaultDoc: 'from `GET <CF_API_URL>/`',
  example: 'https://uaa.sys.example.org',
  description: "UAA's base URL for `CF_CLIENT_ID`",
});
export const DOCKER_CLOUD_USERNAME = setting({
  name: 'DOCKER_CLOUD_USERNAME',
  type: text(),
  example: 'ci-bot',
  description: 'Docker Cloud service credentials (both or neither)',
});
export const DOCKER_CLOUD_API_KEY = setting({
  name: 'DOCKER_CLOUD_API_KEY',
  type: text(),
  secret: true,
  example: 'secret…',
  sameRowAs: DOCKER_CLOUD_USERNAME,
});

const CREDENTIAL_SOURCES = ['forwarded', 'service', 'either'] as const satisfies readonly CredentialSource[];

/** `either` by default: what a standalone gateway has always done (and what the sandbox's demo credentials need). */
const credentialSourceType = { type: oneOf<CredentialSource>(CREDENTIAL_SOURCES), default: 'either' as const };

const CYCLE_CREDENTIALS = setting({
  name: 'CYCLE_CREDENTIALS',
  ...credentialSourceType,
  example: 'forwarded',
  description:
    "where an upstream's credentials come from: `forwarded` (the caller's headers only: behind a router), `service` (the environment's only), `either` ([docs/federation.md](docs/federation.md))",
});

export const CREDENTIAL_SOURCE_SETTINGS: Record<UpstreamName, SettingWithDefault<CredentialSource>> = {
  cycle: CYCLE_CREDENTIALS,
  cf: setting({ name: 'CF_CREDENTIALS', ...credentialSourceType, sameRowAs: CYCLE_CREDENTIALS }),
  dockercloud: setting({ name: 'DOCKER_CLOUD_CREDENTIALS', ...credentialSourceType, sameRowAs: CYCLE_CREDENTIALS }),
};

export const ROUTER_SERVICE_CREDENTIALS = setting({
  name: 'ROUTER_SERVICE_CREDENTIALS',
  type: oneOf(['refused', 'allowed'] as const),
  defaultDoc: '`refused` (`allowed` in sandbox mode)',
  example: 'allowed',
  description:
    'router traffic (`_entities`, `x-imagegraph-router`) that forwards no credential: refused with `ROUTER_CREDENTIALS_MISSING`, or answered with the service credentials. See docs/federation.md',
});

export const credentialSettings: readonly Setting<unknown>[] = [
  CYCLE_API_KEY,
  CYCLE_HUB_ID,
  CF_TOKEN,
  CF_CLIENT_ID,
  CF_CLIENT_SECRET,
  CF_UAA_URL,
  DOCKER_CLOUD_USERNAME,
  DOCKER_CLOUD_API_KEY,
  ...Object.values(CREDENTIAL_SOURCE_SETTINGS),
  ROUTER_SERVICE_CREDENTIALS,
];

export function readServiceCredentials(reader: SettingsReader): ServiceCredentials {
  const credentials: ServiceCredentials = {};
  const cycleKey = reader.get(CYCLE_API_KEY);
  const cycleHub = reader.get(CYCLE_HUB_ID);
  if (cycleKey !== undefined || cycleHub !== undefined) {
    if (cycleKey === undefined || cycleHub === undefined)
      reader.problem('CYCLE_API_KEY and CYCLE_HUB_ID go together: set both or neither');
    else if (!/^[0-9a-f]{24}$/.test(cycleHub)) reader.problem('CYCLE_HUB_ID must be a 24-character hex id');
    else credentials.cycle = { apiKey: cycleKey, hubId: cycleHub };
  }
  const cf = readCfCredentials(reader);
  if (cf) credentials.cf = cf;
  const dcUser = reader.get(DOCKER_CLOUD_USERNAME);
  const dcKey = reader.get(DOCKER_CLOUD_API_KEY);
  if (dcUser !== undefined || dcKey !== undefined) {
    if (dcUser === undefined || dcKey === undefined)
      reader.problem('DOCKER_CLOUD_USERNAME and DOCKER_CLOUD_API_KEY go together: set both or neither');
    else credentials.dockercloud = { username: dcUser, apiKey: dcKey };
  }
  return credentials;
}

/** CF_TOKEN (fixed), or CF_CLIENT_ID and CF_CLIENT_SECRET (UAA's client_credentials grant, at CF_UAA_URL). */
function readCfCredentials(reader: SettingsReader): CfServiceCredentials | undefined {
  const token = reader.get(CF_TOKEN);
  const clientId = reader.get(CF_CLIENT_ID);
  const clientSecret = reader.get(CF_CLIENT_SECRET);
  const uaaUrl = reader.get(CF_UAA_URL);
  if (clientId === undefined && clientSecret === undefined) {
    if (uaaUrl !== undefined) reader.problem('CF_UAA_URL is used only with CF_CLIENT_ID and CF_CLIENT_SECRET');
    return token === undefined ? undefined : { token };
  }
  if (clientId === undefined || clientSecret === undefined) {
    reader.problem('CF_CLIENT_ID and CF_CLIENT_SECRET go together: set both or neither');
    return undefined;
  }
  if (token !== undefined) {
    reader.problem('CF_TOKEN and CF_CLIENT_ID are two ways to authenticate to Cloud Foundry: set one of them');
    return undefined;
  }
  return { clientId, clientSecret, ...(uaaUrl !== undefined ? { uaaUrl } : {}) };
}

export function readCredentialSources(reader: SettingsReader): Record<UpstreamName, CredentialSource> {
  return Object.fromEntries(
    UPSTREAM_NAMES.map((name) => [name, reader.get(CREDENTIAL_SOURCE_SETTINGS[name])]),
  ) as Record<UpstreamName, CredentialSource>;
}

/** `<UPSTREAM>_CREDENTIALS=service` needs that upstream's service credentials (the sandbox supplies its own). */
export function checkCredentialSources(
  reader: SettingsReader,
  sources: Record<UpstreamName, CredentialSource>,
  service: ServiceCredentials,
  mode: 'sandbox' | 'upstreams',
): void {
  if (mode === 'sandbox') return;
  for (const name of UPSTREAM_NAMES) {
    if (sources[name] === 'service' && service[name] === undefined)
      reader.problem(`${CREDENTIAL_SOURCE_SETTINGS[name].name}=service needs the service credentials of that upstream`);
  }
}
