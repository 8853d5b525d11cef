/**
 * Configuration: `parseConfig(env)` turns environment variables into a typed, validated `Config`, reporting every
 * problem at once. Only `main.ts` passes `process.env`; everything else receives a `Config`.
 */
export type UpstreamName = 'cycle' | 'cf' | 'dockercloud';

export const UPSTREAM_NAMES: readonly UpstreamName[] = ['cycle', 'cf', 'dockercloud'];

/** Human names used in messages and errors. */
export const UPSTREAM_LABELS: Record<UpstreamName, string> = {
  cycle: 'Cycle',
  cf: 'Cloud Foundry',
  dockercloud: 'Docker Cloud',
};

export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From request sent to response headers received. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

export interface UpstreamEndpoint {
  /** Base URL; may carry a path prefix (e.g. `https://cloud.docker.com/`). */
  url: string;
  timeouts: UpstreamTimeouts;
  /** Keep-alive connections per upstream: also the cap on concurrent requests to it. */
  connections: number;
}

export interface ServiceCredentials {
  cycle?: { apiKey: string; hubId: string };
  cf?: { token: string };
  dockercloud?: { username: string; apiKey: string };
}

export interface Config {
  /** `sandbox`: no upstream URL was configured, so main.ts starts the emulators and fills in URLs and demo credentials. */
  mode: 'sandbox' | 'upstreams';
  /** Explicit development mode (NODE_ENV=development): error responses carry details and stack traces. */
  development: boolean;
  host: string;
  port: number;
  /** Upstreams that have a URL; an upstream missing here answers `UPSTREAM_UNAVAILABLE` ("not configured"). */
  upstreams: Partial<Record<UpstreamName, UpstreamEndpoint>>;
  serviceCredentials: ServiceCredentials;
  /** Adds `extensions.upstream` (calls and requests) to every response. */
  upstreamTrace: boolean;
  introspection: boolean;
  /** Serve GraphiQL at `/` (and `/graphql` for browsers). */
  graphiql: boolean;
  /** Upper bound for a mutation's `awaitMs`. */
  jobAwaitMaxMs: number;
  /** Cloud Foundry: create packages through the early-v3 `POST /v3/apps/:guid/packages` route (old controllers). */
  cfLegacyAppPackagesRoute: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const URL_VARIABLES: Record<UpstreamName, string> = {
  cycle: 'CYCLE_API_URL',
  cf: 'CF_API_URL',
  dockercloud: 'DOCKER_CLOUD_API_URL',
};

/** Prefix of the per-upstream timeout variables, e.g. `CYCLE_CONNECT_TIMEOUT_MS`. */
const TIMEOUT_PREFIXES: Record<UpstreamName, string> = { cycle: 'CYCLE', cf: 'CF', dockercloud: 'DOCKER_CLOUD' };

export function parseConfig(env: Env): Config {
  const reader = new EnvReader(env);
  const development = reader.oneOf('NODE_ENV', ['development', 'production', 'test'], 'production') === 'development';
  const configuredUrls = UPSTREAM_NAMES.filter((name) => nonEmpty(env[URL_VARIABLES[name]]));
  const mode = configuredUrls.length === 0 ? 'sandbox' : 'upstreams';

  const connections = reader.int('UPSTREAM_POOL_CONNECTIONS', 32, 1, 1024);
  const upstreams: Config['upstreams'] = {};
  for (const name of configuredUrls) {
    const url = reader.url(URL_VARIABLES[name]);
    if (url !== undefined) upstreams[name] = { url, timeouts: readTimeouts(reader, name), connections };
  }

  const config: Config = {
    mode,
    development,
    host: env.HOST?.trim() || '127.0.0.1',
    port: reader.int('PORT', 4000, 0, 65535),
    upstreams,
    serviceCredentials: readServiceCredentials(reader),
    upstreamTrace: reader.bool('UPSTREAM_TRACE', mode === 'sandbox'),
    introspection: reader.bool('INTROSPECTION', development || mode === 'sandbox'),
    graphiql: reader.bool('GRAPHIQL', reader.bool('INTROSPECTION', development || mode === 'sandbox')),
    jobAwaitMaxMs: reader.int('JOB_AWAIT_MAX_MS', 30_000, 0, 300_000),
    cfLegacyAppPackagesRoute: reader.bool('CF_LEGACY_APP_PACKAGES_ROUTE', false),
  };
  reader.throwIfProblems();
  return config;
}

/** Timeouts for one upstream: `<UPSTREAM>_<KIND>_TIMEOUT_MS`, falling back to `UPSTREAM_<KIND>_TIMEOUT_MS`. */
function readTimeouts(reader: EnvReader, name: UpstreamName): UpstreamTimeouts {
  const read = (kind: string, fallback: number) =>
    reader.int(`${TIMEOUT_PREFIXES[name]}_${kind}_TIMEOUT_MS`, reader.int(`UPSTREAM_${kind}_TIMEOUT_MS`, fallback, 1, 600_000), 1, 600_000);
  return { connectMs: read('CONNECT', 3_000), firstByteMs: read('FIRST_BYTE', 10_000), totalMs: read('TOTAL', 15_000) };
}

function readServiceCredentials(reader: EnvReader): ServiceCredentials {
  const credentials: ServiceCredentials = {};
  const cycleKey = reader.secret('CYCLE_API_KEY');
  const cycleHub = reader.string('CYCLE_HUB_ID');
  if (cycleKey !== undefined || cycleHub !== undefined) {
    if (cycleKey === undefined || cycleHub === undefined) reader.problem('CYCLE_API_KEY and CYCLE_HUB_ID go together: set both or neither');
    else if (!/^[0-9a-f]{24}$/.test(cycleHub)) reader.problem('CYCLE_HUB_ID must be a 24-character hex id');
    else credentials.cycle = { apiKey: cycleKey, hubId: cycleHub };
  }
  const cfToken = reader.secret('CF_TOKEN');
  if (cfToken !== undefined) credentials.cf = { token: cfToken };
  const dcUser = reader.string('DOCKER_CLOUD_USERNAME');
  const dcKey = reader.secret('DOCKER_CLOUD_API_KEY');
  if (dcUser !== undefined || dcKey !== undefined) {
    if (dcUser === undefined || dcKey === undefined) reader.problem('DOCKER_CLOUD_USERNAME and DOCKER_CLOUD_API_KEY go together: set both or neither');
    else credentials.dockercloud = { username: dcUser, apiKey: dcKey };
  }
  return credentials;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Reads typed values and collects problems; messages never repeat a secret's value. */
class EnvReader {
  readonly #problems: string[] = [];
  constructor(readonly env: Env) {}

  problem(message: string): void {
    this.#problems.push(message);
  }

  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }

  string(name: string): string | undefined {
    const value = this.env[name];
    return nonEmpty(value) ? value.trim() : undefined;
  }

  secret(name: string): string | undefined {
    return this.string(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problem(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problem(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problem(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('scheme');
      if (url.username || url.password) {
        this.problem(`${name} must not carry credentials in the URL; use the credential variables`);
        return undefined;
      }
      return url.toString().replace(/\/+$/, '');
    } catch {
      this.problem(`${name} must be an http(s) URL, got "${raw}"`);
      return undefined;
    }
  }
}
