/**
 * The secrets one request carries, so that anything leaving the gateway about that request (responses, error
 * messages, log lines) can be scrubbed of them: the service credentials of the configuration (and the forms they
 * travel in: `Bearer <token>`, `Basic base64(user:key)`), the current UAA access token, the credential headers the
 * caller sent, and every value given to a secret input (`@secret` in the schema: secretInputs.ts), whatever the
 * variable holding it is called. Domain types hold no secrets; this catches an upstream that echoes what it was sent.
 */
import type { Config } from './config.js';

/** Header names whose values are secrets (credential headers). Inputs are marked in the schema instead. */
export const SECRET_HEADER = /passw(or)?d|token|secret|api_?key|credential|authori[sz]ation|cookie/i;

/** Shorter values are not scrubbed: replacing every "a" in a message would say nothing and hide everything. */
const MIN_SECRET_LENGTH = 4;

/**
 * Secret values one request may bring (inputs and headers; the service credentials do not count). Bounds the scrub,
 * which costs one search per secret; an operation with more is refused (secretInputs.ts).
 */
export const MAX_REQUEST_SECRETS = 256;

export const REDACTED = '[REDACTED]';

/** The forms a secret value is found in besides itself: JSON-escaped (an echoed body) and URL-encoded (a URL). */
function encodedForms(value: string): string[] {
  const forms: string[] = [];
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) forms.push(json);
  const url = encodeURIComponent(value);
  if (url !== value) forms.push(url);
  return forms;
}

/** Secrets shared by every request of a server (the service credentials), plus those one request adds. */
export class SecretSet {
  readonly #base: ServiceSecrets | null;
  readonly #values = new Set<string>();
  #sorted: string[] | null = null;
  #baseVersion = -1;
  #overflowed = false;

  constructor(base: ServiceSecrets | null = null) {
    this.#base = base;
  }

  /** Adds a value (and its encoded forms); false when the request already holds MAX_REQUEST_SECRETS. */
  add(value: string | undefined | null): boolean {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.#values.has(value)) return true;
    if (this.#values.size >= MAX_REQUEST_SECRETS) {
      this.#overflowed = true;
      return false;
    }
    this.#values.add(value);
    for (const form of encodedForms(value)) this.#values.add(form);
    this.#sorted = null;
    return true;
  }

  addAll(values: Iterable<string>): boolean {
    let all = true;
    for (const value of values) all = this.add(value) && all;
    return all;
  }

  /** True once more secrets were offered than a request may hold (the request is then refused). */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  get size(): number {
    return this.#values.size + (this.#base?.values.length ?? 0);
  }

  /** Every secret, longest first, so that a secret containing another is removed whole. */
  #all(): string[] {
    if (this.#sorted && this.#baseVersion === (this.#base?.version ?? 0)) return this.#sorted;
    this.#baseVersion = this.#base?.version ?? 0;
    this.#sorted = [...this.#values, ...(this.#base?.values ?? [])].sort((a, b) => b.length - a.length);
    return this.#sorted;
  }

  /** Whether `text` holds any known secret. */
  foundIn(text: string): boolean {
    if (text.length < MIN_SECRET_LENGTH) return false;
    for (const secret of this.#all()) if (text.includes(secret)) return true;
    return false;
  }

  /** `text` with every known secret replaced: one linear search per secret, a replacement only where found. */
  scrub(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text;
    let result = text;
    for (const secret of this.#all()) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /**
   * A request path (percent-encoded, holding client-given ids) with secrets removed: matched as sent, or, when a
   * secret shows only decoded, the decoded path scrubbed.
   */
  scrubPath(path: string): string {
    const scrubbed = this.scrub(path);
    if (scrubbed !== path || this.#values.size === 0) return scrubbed;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return path;
    }
    const scrubbedDecoded = this.scrub(decoded);
    return scrubbedDecoded === decoded ? path : scrubbedDecoded;
  }
}

/**
 * The service credentials of one server as secret values. `values` changes when a renewing credential (UAA) hands
 * out a new token: the current and the previous token stay (a request may still be using the previous one).
 */
export class ServiceSecrets {
  #fixed: readonly string[];
  #tokens: string[][] = [];
  #values: string[];
  #version = 0;

  constructor(fixed: readonly string[]) {
    this.#fixed = expand(fixed);
    this.#values = [...this.#fixed];
  }

  get values(): readonly string[] {
    return this.#values;
  }

  /** Bumped whenever `values` changes. */
  get version(): number {
    return this.#version;
  }

  /** A renewing credential handed out these headers: their credentials join the secrets (once). */
  sawHeaders(headers: Readonly<Record<string, string>>): void {
    const authorization = headers.authorization;
    if (authorization === undefined || this.#tokens.some((parts) => parts[0] === authorization)) return;
    this.#tokens = [credentialParts(authorization), ...this.#tokens].slice(0, 2);
    this.#values = [...this.#fixed, ...expand(this.#tokens.flat())];
    this.#version++;
  }
}

function expand(values: readonly string[]): string[] {
  const found = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    found.add(value);
    for (const form of encodedForms(value)) found.add(form);
  }
  return [...found];
}

/**
 * Every secret of the configuration, in the forms it travels in: the Cycle API key (`Bearer <key>`), the CF token or
 * UAA client secret (and UAA's `Basic` header), the Docker Cloud API key (`user:key`, its base64, `Basic …`), the
 * gateway tokens, the Redis password (REDIS_PASSWORD, or the one in the URL, and that URL), and the OTLP exporter's
 * header values. Every setting declared `secret: true` in src/config/ is collected here (test/unit/secrets.test.ts).
 */
export function configSecrets(config: Config): string[] {
  const found: string[] = [];
  const { cycle, cf, dockercloud } = config.serviceCredentials;
  if (cycle) found.push(...credentialParts(`Bearer ${cycle.apiKey}`));
  if (cf && 'token' in cf) found.push(...credentialParts(`Bearer ${cf.token}`));
  if (cf && 'clientSecret' in cf) {
    const form = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    found.push(cf.clientSecret, form(cf.clientSecret));
    found.push(
      ...credentialParts(`Basic ${Buffer.from(`${form(cf.clientId)}:${form(cf.clientSecret)}`).toString('base64')}`),
    );
  }
  if (dockercloud) {
    const basic = Buffer.from(`${dockercloud.username}:${dockercloud.apiKey}`).toString('base64');
    found.push(...credentialParts(`Basic ${basic}`));
  }
  for (const token of config.gatewayTokens) found.push(...credentialParts(`Bearer ${token}`));
  if (config.redis) {
    try {
      const password = decodeURIComponent(new URL(config.redis.url).password);
      if (password) found.push(password, config.redis.url);
    } catch {
      // src/config/redis.ts refused a URL it cannot read
    }
    if (config.redis.password !== undefined) found.push(config.redis.password);
  }
  for (const value of Object.values(config.tracing?.otlp.headers ?? {})) found.push(...credentialParts(value));
  return found;
}

/**
 * Values of credential-bearing headers, and their parts: the token after the scheme, and for Basic the decoded
 * `user:key` and the key alone.
 */
export function secretsInHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): string[] {
  const found: string[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    if (!SECRET_HEADER.test(name) || raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) found.push(...credentialParts(value));
  }
  return found;
}

export function credentialParts(value: string): string[] {
  const parts = [value];
  const match = /^(\w+)\s+(.+)$/.exec(value.trim());
  if (match) {
    parts.push(match[2]!);
    if (match[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
      parts.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  return parts;
}
