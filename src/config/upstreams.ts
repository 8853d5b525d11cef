import { bool, int, setting, url, type Setting } from './setting.js';

/** The upstreams: where they are, and how one GraphQL request may use them. */

export type UpstreamName = 'cycle' | 'cf' | 'dockercloud';

export const UPSTREAM_NAMES: readonly UpstreamName[] = ['cycle', 'cf', 'dockercloud'];

/** Human names used in messages and errors. */
export const UPSTREAM_LABELS: Record<UpstreamName, string> = {
  cycle: 'Cycle',
  cf: 'Cloud Foundry',
  dockercloud: 'Docker Cloud',
};

/** Prefix of the per-upstream variables, e.g. `CYCLE_CONNECT_TIMEOUT_MS`. */
export const UPSTREAM_PREFIXES: Record<UpstreamName, string> = {
  cycle: 'CYCLE',
  cf: 'CF',
  dockercloud: 'DOCKER_CLOUD',
};

/** Largest page any upstream client asks for, and so the largest `first` of a connection. */
export const MAX_PAGE_SIZE = 100;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Cycle's image factory as the contract names it (cycle.md §5 "Upload flow for `cycle-upload`"). */
export const DEFAULT_CYCLE_FACTORY_URL = 'https://factory.cycle.io:9414';

export const CYCLE_API_URL = setting({
  name: 'CYCLE_API_URL',
  type: url(),
  example: 'https://api.cycle.io',
  description: 'Cycle base URL. No upstream URL at all: sandbox mode on a loopback `HOST` (see `SANDBOX`)',
});
export const CF_API_URL = setting({
  name: 'CF_API_URL',
  type: url(),
  example: 'https://api.sys.example.org',
  description: 'Cloud Foundry base URL',
});
export const DOCKER_CLOUD_API_URL = setting({
  name: 'DOCKER_CLOUD_API_URL',
  type: url(),
  example: 'https://cloud.docker.com',
  description: 'Docker Cloud base URL (may carry a path prefix)',
});

export const UPSTREAM_URLS: Record<UpstreamName, Setting<string>> = {
  cycle: CYCLE_API_URL,
  cf: CF_API_URL,
  dockercloud: DOCKER_CLOUD_API_URL,
};

export const REQUEST_TIMEOUT_MS = setting({
  name: 'REQUEST_TIMEOUT_MS',
  type: int({ min: 100, max: 600_000 }),
  default: 10_000,
  example: '5000',
  description: "one GraphQL request's deadline over all its upstream calls, retries and waits",
});
export const RETRY_BUDGET_PER_REQUEST = setting({
  name: 'RETRY_BUDGET_PER_REQUEST',
  type: int({ min: 0, max: 1000 }),
  default: 10,
  example: '4',
  description: 'retries one GraphQL request may spend across all its upstream calls',
});
export const UPSTREAM_TRACE = setting({
  name: 'UPSTREAM_TRACE',
  type: bool(),
  defaultDoc: 'on in sandbox mode',
  example: 'true',
  description: '`extensions.upstream` (calls, paths, statuses) in every response',
});
export const JOB_AWAIT_MAX_MS = setting({
  name: 'JOB_AWAIT_MAX_MS',
  type: int({ min: 0, max: 300_000 }),
  default: 30_000,
  example: '10000',
  description: "upper bound of a mutation's `awaitMs`",
});
export const CF_LEGACY_APP_PACKAGES_ROUTE = setting({
  name: 'CF_LEGACY_APP_PACKAGES_ROUTE',
  type: bool(),
  default: false,
  example: 'true',
  description: 'create CF packages through the early-v3 `POST /v3/apps/:guid/packages`',
});
export const CYCLE_FACTORY_URL = setting({
  name: 'CYCLE_FACTORY_URL',
  type: url(),
  default: DEFAULT_CYCLE_FACTORY_URL,
  example: 'https://factory.eu.example.net:9414',
  description:
    "Cycle's image factory, where `uploadImage` sends OCI tars (the sandbox points it at its Cycle emulator)",
});

export const upstreamSettings = [
  CYCLE_API_URL,
  CF_API_URL,
  DOCKER_CLOUD_API_URL,
  REQUEST_TIMEOUT_MS,
  RETRY_BUDGET_PER_REQUEST,
  UPSTREAM_TRACE,
  JOB_AWAIT_MAX_MS,
  CF_LEGACY_APP_PACKAGES_ROUTE,
  CYCLE_FACTORY_URL,
];
