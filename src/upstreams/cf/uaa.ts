/**
 * Cloud Foundry service credentials from UAA (CF_CLIENT_ID, CF_CLIENT_SECRET): the OAuth2 `client_credentials` grant
 * at `<UAA>/oauth/token`, as the cf CLI and the Go and Java CF clients do. The UAA URL is CF_UAA_URL, or else found in
 * the Cloud Controller root document (`links.uaa`, then `links.login`). The token is cached and renewed before it
 * expires (a tenth of its lifetime ahead, at most a minute), and at once when Cloud Controller refuses it; requests
 * that need a token while one is being fetched wait for that fetch (one fetch at a time). The client secret goes
 * only to UAA, in the Basic header, and no message repeats it or the token.
 */
import { upstreamUnavailable, UpstreamError } from '../../errors.js';
import type { RequestDeadline } from '../shared/deadline.js';
import { jsonShapeProblem } from '../shared/jsonShape.js';
import type { RenewingCredential } from '../shared/renewingCredential.js';

export interface UaaClientOptions {
  /** Cloud Controller's base URL (CF_API_URL): where the UAA URL is discovered when `uaaUrl` is absent. */
  apiUrl: string;
  uaaUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Bound on each request to UAA or to Cloud Controller's root. */
  timeoutMs: number;
  /** Clock for expiry. @default Date.now */
  now?: () => number;
}

interface CachedToken {
  headers: Readonly<Record<string, string>>;
  /** When to fetch the next one: ahead of the token's expiry. */
  renewAt: number;
}

/**
 * The largest UAA or root-document body read, counted after decompression (fetch inflates what it is sent): both are
 * a few hundred bytes; anything far larger is not an answer of theirs.
 */
const MAX_ANSWER_BYTES = 256 * 1024;

/** How far ahead of expiry a token is renewed: a tenth of its lifetime, at most this. */
const MAX_RENEW_AHEAD_MS = 60_000;

export class UaaTokenSource implements RenewingCredential {
  readonly kind = 'renewing';
  readonly #options: UaaClientOptions;
  readonly #now: () => number;
  #tokenUrl: string | undefined;
  #cached: CachedToken | undefined;
  #fetching: Promise<CachedToken> | undefined;

  constructor(options: UaaClientOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    if (options.uaaUrl) this.#tokenUrl = `${options.uaaUrl.replace(/\/+$/, '')}/oauth/token`;
  }

  async headers(deadline: RequestDeadline): Promise<Readonly<Record<string, string>>> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.renewAt) return cached.headers;
    this.#fetching ??= this.#fetchToken().finally(() => (this.#fetching = undefined));
    return (await withinDeadline(this.#fetching, deadline)).headers;
  }

  refused(headers: Readonly<Record<string, string>>): void {
    if (this.#cached?.headers === headers) this.#cached = undefined;
  }

  async #fetchToken(): Promise<CachedToken> {
    const tokenUrl = (this.#tokenUrl ??= await this.#discoverTokenUrl());
    const { clientId, clientSecret } = this.#options;
    const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
    const answer = await this.#fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials&token_format=opaque',
    });
    if (answer.status === 401 || answer.status === 403)
      throw unavailable(
        `UAA refused the client credentials (HTTP ${answer.status}): check CF_CLIENT_ID and CF_CLIENT_SECRET`,
      );
    if (answer.status !== 200) throw unavailable(`UAA answered HTTP ${answer.status} to the token request`);
    const body = answer.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0))
      throw unavailable('UAA answered without an access_token and its expires_in');
    const lifetimeMs = expiresIn * 1000;
    const renewAt = this.#now() + lifetimeMs - Math.min(MAX_RENEW_AHEAD_MS, lifetimeMs / 10);
    const cached = { headers: Object.freeze({ authorization: `Bearer ${token}` }), renewAt };
    this.#cached = cached;
    return cached;
  }

  async #discoverTokenUrl(): Promise<string> {
    const answer = await this.#fetch(`${this.#options.apiUrl.replace(/\/+$/, '')}/`, {
      headers: { accept: 'application/json' },
    });
    const links = (answer.body as { links?: Record<string, { href?: unknown } | null> } | undefined)?.links;
    const href = links?.uaa?.href ?? links?.login?.href;
    if (answer.status !== 200 || typeof href !== 'string' || !/^https?:\/\//.test(href))
      throw unavailable(
        `its root document names no UAA (links.uaa or links.login, HTTP ${answer.status}): set CF_UAA_URL`,
      );
    return `${href.replace(/\/+$/, '')}/oauth/token`;
  }

  async #fetch(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.#options.timeoutMs) });
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError';
      throw unavailable(timedOut ? 'UAA did not answer in time' : 'UAA could not be reached', true);
    }
    const bytes = await boundedBody(response, MAX_ANSWER_BYTES);
    if (bytes === null) throw unavailable(`the answer of ${new URL(url).pathname} is over ${MAX_ANSWER_BYTES} bytes`);
    let body: unknown;
    try {
      body = bytes.length === 0 || jsonShapeProblem(bytes) !== null ? undefined : JSON.parse(bytes.toString('utf8'));
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  }
}

/** The body's bytes (decompressed), or null when it passes `maxBytes`: then it is read no further. */
async function boundedBody(response: Response, maxBytes: number): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks, length);
      length += value.length;
      if (length > maxBytes) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return Buffer.alloc(0); // cut short: no usable answer, as before
  }
}

function unavailable(reason: string, transient = false): UpstreamError {
  return upstreamUnavailable('cf', reason, transient);
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they go into the Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The fetch shared by every waiting request, given up by this one when its own deadline passes first. */
function withinDeadline<T>(work: Promise<T>, deadline: RequestDeadline): Promise<T> {
  const left = deadline.remainingMs();
  if (!Number.isFinite(left)) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          unavailable(`no token from UAA within the request's deadline (REQUEST_TIMEOUT_MS, ${deadline.timeoutMs} ms)`),
        ),
      left,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
