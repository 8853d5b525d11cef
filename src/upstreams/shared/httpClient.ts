/**
 * One keep-alive connection pool per upstream (undici), shared by every request of a server instance, and the
 * per-request caller that adds credentials, records the trace and maps failures through errors.ts.
 *
 * The pool's `connections` is also the cap on concurrent requests to that upstream: undici queues the rest.
 * Retries (idempotent reads only) live in resilience.ts; the circuit breakers, one per upstream and caller
 * credential, in circuits.ts. Every exchange is
 * reported to the server's UpstreamObserver (metrics) and, when tracing is on, runs in a span of its own (observer.ts).
 * Every body is bounded before it is used: in size while it streams (exchange.ts, `<UPSTREAM>_MAX_RESPONSE_BYTES`),
 * in nesting and in arrays and objects before it is parsed (jsonShape.ts), and it is never decompressed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { Pool, type Dispatcher, type FormData } from 'undici';
import {
  upstreamVariable,
  type UpstreamEndpoint,
  type UpstreamName,
  type UpstreamPolicy,
  type UpstreamTimeouts,
} from '../../config.js';
import { UnusableCredentials, type UpstreamCredentials } from '../../credentials.js';
import {
  missingCredentials,
  requestRefused,
  unusableCredentials,
  UpstreamError,
  upstreamMalformed,
  upstreamNotConfigured,
  upstreamStatusError,
  upstreamTooComplex,
  upstreamTooLarge,
  upstreamUnavailable,
  type UpstreamErrorDetail,
} from '../../errors.js';
import { abortableBy, InFlightReads, readKey, WaitAbandoned } from './coalescing.js';
import { NO_DEADLINE, type RequestDeadline } from './deadline.js';
import { isRenewing } from './renewingCredential.js';
import { bufferedExchange, ExchangeFailed, ResponseTooLarge } from './exchange.js';
import { jsonShapeProblem, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH } from './jsonShape.js';
import { NO_UPSTREAM_OBSERVER, type ExchangeOutcome, type UpstreamObserver } from './observer.js';
import { CircuitRegistry } from './circuits.js';
import type { CredentialDigester } from './credentialDigest.js';
import { isRetryableStatus, retryDelayMs, ServerFailureStatus, type RetryBudget } from './resilience.js';
import type { Route } from './route.js';
import type { UpstreamTrace } from './trace.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What undici refuses in a request path and in a header value (its `invalidPathRegex` and `headerCharRegex`). */
const UNSENDABLE_PATH = /[^\u0021-\u00ff]/;
const UNSENDABLE_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** Ordered key/value pairs: repeated keys are kept (Cycle's `include=a&include=b`). */
export type QueryParams = ReadonlyArray<readonly [string, string]>;

export interface UpstreamRequest {
  method: HttpMethod;
  /** The encoded path and its template (route.ts); the template names the operation in metrics and logs. */
  route: Route;
  /** Query parameters after the route's own. */
  query?: QueryParams;
  json?: unknown;
  form?: FormData;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when the body was empty; a Buffer for binary bodies. */
  body: unknown;
}

/** Decodes an upstream's error envelope into what may be shown (its code and detail). */
export type ErrorDecoder = (body: unknown) => UpstreamErrorDetail;

export class UpstreamHttp {
  readonly name: UpstreamName;
  readonly policy: UpstreamPolicy;
  /** The circuit breakers, one per caller credential. */
  readonly circuits: CircuitRegistry;
  /** Told of every exchange, retry and breaker change of this upstream (metrics). */
  readonly observer: UpstreamObserver;
  readonly #pool: Pool;
  readonly #pathPrefix: string;
  readonly #timeouts: UpstreamTimeouts;
  readonly #serverAddress: string;
  readonly #serverPort: number;
  /** Identical GETs in flight at once, shared (coalescing.ts); null when COALESCE_WAITERS is 0. */
  readonly #reads: InFlightReads<UpstreamResponse> | null;
  /** The body limit of a response, given its headers: archives have their own (exchange.ts). */
  readonly #bodyLimit: (headers: IncomingHttpHeaders) => number;

  constructor(
    name: UpstreamName,
    endpoint: UpstreamEndpoint,
    observer: UpstreamObserver = NO_UPSTREAM_OBSERVER,
    digester?: CredentialDigester,
  ) {
    const base = new URL(endpoint.url);
    this.name = name;
    this.policy = endpoint;
    this.observer = observer;
    this.circuits = new CircuitRegistry(name, endpoint, observer, digester);
    this.#serverAddress = base.hostname;
    this.#serverPort = base.port ? Number(base.port) : base.protocol === 'https:' ? 443 : 80;
    this.#pathPrefix = base.pathname.replace(/\/+$/, '');
    this.#timeouts = endpoint.timeouts;
    this.#bodyLimit = (headers) => (isArchive(headers) ? endpoint.maxArchiveBytes : endpoint.maxResponseBytes);
    this.#pool = new Pool(base.origin, {
      connections: endpoint.connections,
      connect: { timeout: endpoint.timeouts.connectMs },
      headersTimeout: endpoint.timeouts.firstByteMs,
      bodyTimeout: endpoint.timeouts.totalMs,
      keepAliveTimeout: 30_000,
    });
    this.#reads =
      endpoint.coalesceWaiters > 0
        ? new InFlightReads(endpoint.coalesceWaiters, (response) => this.#copy(response))
        : null;
  }

  /**
   * Sends one request through the circuit breaker of `caller` (the caller's identity, circuits.ts; by default the
   * digest of `headers`). Resolves with any HTTP status; rejects with an
   * UpstreamError only when no usable response arrived (timeout, connection refused or reset, truncated or malformed
   * body), when the circuit is open (then no request is made), or when the request cannot be sent at all (a
   * RefusedRequestError: a route that cannot be built, or a request undici refuses; the breaker counts neither).
   * The exchange ends by the request's `deadline` at the latest, whatever the upstream's own timeouts.
   */
  async send(
    request: UpstreamRequest,
    headers: Record<string, string>,
    trace: UpstreamTrace,
    deadline: RequestDeadline = NO_DEADLINE,
    caller: string = this.circuits.callerOf(headers),
  ): Promise<UpstreamResponse> {
    const target = this.#target(request, headers);
    if (this.#reads && request.method === 'GET')
      return this.#sharedRead(request, target, headers, trace, deadline, caller);
    return this.#fire(request, target, headers, trace, deadline, this.#pool, caller);
  }

  /**
   * A GET that joins the identical GET in flight (same credential headers and target), or starts it. The shared
   * exchange runs to the upstream's own timeouts; each waiter stops at its own deadline, and the exchange is aborted
   * when none is left. A waiter that joined records the read in its own trace too: its answer depended on it.
   */
  async #sharedRead(
    request: UpstreamRequest,
    target: string,
    headers: Record<string, string>,
    trace: UpstreamTrace,
    deadline: RequestDeadline,
    caller: string,
  ): Promise<UpstreamResponse> {
    const left = deadline.remainingMs();
    const since = performance.now();
    const share = (signal: AbortSignal) =>
      this.#fire(request, target, headers, trace, NO_DEADLINE, abortableBy(this.#pool, signal), caller);
    let status = 0;
    try {
      const joined = await this.#reads!.join(
        readKey(headers, request.method, target),
        share,
        left < this.#timeouts.totalMs ? left : Number.POSITIVE_INFINITY,
      );
      if (joined.started) return joined.value;
      status = joined.value.status;
      return joined.value;
    } catch (error) {
      if (error instanceof WaitAbandoned) throw deadlinePassed(this.name, deadline);
      throw error;
    } finally {
      if (status > 0) {
        const durationMs = Math.round((performance.now() - since) * 100) / 100;
        trace.record({ upstream: this.name, method: request.method, path: request.route.path, status, durationMs });
      }
    }
  }

  /** One exchange through the upstream's circuit breaker. */
  async #fire(
    request: UpstreamRequest,
    target: string,
    headers: Record<string, string>,
    trace: UpstreamTrace,
    deadline: RequestDeadline,
    dispatcher: Dispatcher,
    caller: string,
  ): Promise<UpstreamResponse> {
    try {
      return (await this.circuits.breakerFor(caller).fire(async () => {
        const response = await this.#exchange(request, target, headers, trace, deadline, dispatcher);
        if (response.status >= 500) throw new ServerFailureStatus(response);
        return response;
      })) as UpstreamResponse;
    } catch (error) {
      if (error instanceof ServerFailureStatus) return error.response as UpstreamResponse;
      if (CircuitBreaker.isOurError(error as Error))
        throw upstreamUnavailable(
          this.name,
          'failing fast while its circuit is open for these credentials after repeated failures',
          false,
        );
      throw error;
    }
  }

  /**
   * The request target (path and query), or a RefusedRequestError when the request cannot be built or holds what
   * undici would refuse. Checked here, before undici sees it: undici 7.30.2's Pool stops dispatching for good after
   * as many refused requests as it has connections (test/reliability/refusedRequests.test.ts).
   */
  #target(request: UpstreamRequest, headers: Record<string, string>): string {
    const { route } = request;
    if (route.refused) throw requestRefused(this.name, route.template, route.refused);
    let target: string;
    try {
      target = this.#pathPrefix + route.path + encodeQuery(route.query, request.query);
    } catch {
      // URIError: a query value with a lone surrogate has no UTF-8 form to percent-encode.
      throw requestRefused(this.name, route.template, 'a query value is not well-formed Unicode');
    }
    if (UNSENDABLE_PATH.test(target)) throw requestRefused(this.name, route.template, 'its path is not sendable');
    for (const name in headers) {
      // The name only: a credential's value never goes into a message.
      if (UNSENDABLE_HEADER_VALUE.test(headers[name]!))
        throw requestRefused(this.name, route.template, `its ${name} header holds characters HTTP does not allow`);
    }
    return target;
  }

  async #exchange(
    request: UpstreamRequest,
    target: string,
    headers: Record<string, string>,
    trace: UpstreamTrace,
    deadline: RequestDeadline,
    dispatcher: Dispatcher,
  ): Promise<UpstreamResponse> {
    const started = performance.now();
    const left = deadline.remainingMs();
    const cutByDeadline = left < this.#timeouts.totalMs;
    const span = trace.spans?.startExchange({
      upstream: this.name,
      method: request.method,
      route: request.route.template,
      serverAddress: this.#serverAddress,
      serverPort: this.#serverPort,
    });
    // No compressed body is asked for (none would be decompressed: exchange.ts bounds the bytes received).
    const sent: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity', ...headers };
    if (request.json !== undefined) sent['content-type'] = 'application/json';
    if (span) Object.assign(sent, span.headers);
    let status = 0;
    let outcome: ExchangeOutcome = 'error';
    try {
      const response = await bufferedExchange(
        dispatcher,
        {
          method: request.method,
          path: target,
          headers: sent,
          body: request.json !== undefined ? JSON.stringify(request.json) : (request.form ?? null),
        },
        cutByDeadline ? left : this.#timeouts.totalMs,
        this.#bodyLimit,
      );
      status = response.status;
      const body = decodeBody(this.name, status, response.headers, response.body);
      outcome = 'response';
      const decoded = { status, headers: response.headers, body };
      if (this.#reads && request.method === 'GET') RAW_BODIES.set(decoded, response.body);
      return decoded;
    } catch (error) {
      let cause = error;
      if (error instanceof ExchangeFailed) ({ status, cause } = error);
      if (isTimeout(cause) || (cause as { code?: string } | null)?.code === 'UND_ERR_CONNECT_TIMEOUT')
        outcome = 'timeout';
      if (cutByDeadline && (cause as { name?: string } | null)?.name === 'TimeoutError')
        throw deadlinePassed(this.name, deadline);
      if (cause instanceof ResponseTooLarge) throw this.#tooLarge(status, cause);
      throw toUpstreamFailure(this.name, request.route.template, status, cause);
    } finally {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      trace.record({ upstream: this.name, method: request.method, path: request.route.path, status, durationMs });
      this.observer.exchanged({
        upstream: this.name,
        route: request.route.template,
        method: request.method,
        status,
        outcome,
        durationMs,
      });
      span?.end(status, outcome);
    }
  }

  /** A response for a waiter that joined a shared read: its own headers and body, which no other waiter holds. */
  #copy(response: UpstreamResponse): UpstreamResponse {
    const bytes = RAW_BODIES.get(response);
    const body = bytes !== undefined ? decodeBody(this.name, response.status, response.headers, bytes) : response.body;
    return {
      status: response.status,
      headers: { ...response.headers },
      body: Buffer.isBuffer(body) ? Buffer.from(body) : bytes !== undefined ? body : structuredClone(body),
    };
  }

  #tooLarge(status: number, cause: ResponseTooLarge): UpstreamError {
    const variable =
      cause.maxBytes === this.policy.maxResponseBytes
        ? upstreamVariable(this.name, 'MAX_RESPONSE_BYTES')
        : 'UPLOAD_MAX_BYTES'; // an archive's bound
    return upstreamTooLarge(this.name, status, cause.maxBytes, variable);
  }

  /**
   * Stops the breakers and closes the pool, letting requests in flight finish for at most `graceMs`; whatever is still
   * pending then is aborted (on shutdown, only requests whose clients were already cut off remain).
   */
  async close(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.circuits.shutdown();
    const closed = this.#pool.close();
    if (!Number.isFinite(graceMs)) return closed;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>(
      (resolve) => (timer = setTimeout(() => resolve('expired'), Math.max(0, graceMs))),
    );
    const first = await Promise.race([closed.then(() => 'closed' as const), expired]);
    clearTimeout(timer);
    if (first === 'expired') await this.#pool.destroy();
  }
}

/**
 * A request-scoped view of one upstream: its credentials and trace. `call` resolves only with 2xx responses and
 * throws the mapped UpstreamError otherwise. Without a pool (upstream not configured) or without credentials every
 * call fails before any network request.
 */
export class UpstreamCaller {
  constructor(
    readonly upstream: UpstreamName,
    private readonly http: UpstreamHttp | undefined,
    /**
     * This request's credential headers (or a renewing credential), null when it has none for this upstream, or why
     * they are unusable.
     */
    private readonly auth: UpstreamCredentials,
    /** How a client supplies credentials: the hint of the UNAUTHENTICATED error. */
    private readonly credentialHint: string,
    private readonly trace: UpstreamTrace,
    private readonly decodeError: ErrorDecoder,
    /** This GraphQL request's retries, shared by all its upstream calls. */
    private readonly retryBudget: RetryBudget,
    /** This GraphQL request's deadline: no attempt starts, and no retry waits, past it. */
    private readonly deadline: RequestDeadline = NO_DEADLINE,
  ) {}

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const response = await this.#send(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw this.errorFor(response);
  }

  /** Like `call`, but a 404 resolves to null: by-id reads return null for a missing resource. */
  async callOrNull(request: UpstreamRequest): Promise<UpstreamResponse | null> {
    const response = await this.#send(request);
    if (response.status === 404) return null;
    if (response.status >= 200 && response.status < 300) return response;
    throw this.errorFor(response);
  }

  errorFor(response: UpstreamResponse): UpstreamError {
    const detail = isJsonLike(response.body) ? this.decodeError(response.body) : {};
    return upstreamStatusError(
      this.upstream,
      response.status,
      detail,
      parseRetryAfter(response.headers['retry-after']),
    );
  }

  /**
   * Sends, retrying idempotent reads (GET only: a write that timed out may have happened) within the request's budget
   * and the caller's, and only while the request's deadline leaves room for the wait and another attempt.
   */
  async #send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const http = this.http;
    if (!http) throw upstreamNotConfigured(this.upstream);
    const credential = this.auth;
    if (!credential) throw missingCredentials(this.upstream, this.credentialHint);
    if (credential instanceof UnusableCredentials) throw unusableCredentials(this.upstream, credential.problem);
    const caller = http.circuits.callerOf(credential);
    const callerRetries = http.circuits.retriesFor(caller);
    callerRetries.deposit();
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      if (this.deadline.remainingMs() === 0) throw deadlinePassed(this.upstream, this.deadline);
      const headers = isRenewing(credential) ? await credential.headers(this.deadline) : credential;
      let response: UpstreamResponse | undefined;
      let failure: unknown;
      try {
        response = await http.send(request, headers, this.trace, this.deadline, caller);
      } catch (error) {
        failure = error;
      }
      // A renewing credential refused (an expired or revoked token): renewed once and sent again. A 401 means the
      // request was not acted on, so this holds for writes too; it spends no retry.
      if (response?.status === 401 && isRenewing(credential) && !renewed) {
        renewed = true;
        credential.refused(headers);
        attempt -= 1;
        continue;
      }
      const retryable =
        request.method === 'GET' &&
        attempt <= http.policy.retries &&
        (response ? isRetryableStatus(response.status) : failure instanceof UpstreamError && failure.transient);
      const delay = retryable
        ? retryDelayMs(attempt, http.policy, response ? parseRetryAfter(response.headers['retry-after']) : undefined)
        : null;
      if (delay !== null && !this.deadline.allows(delay)) {
        // Worth retrying, but not in the time left: a failure says so rather than naming the last timeout.
        if (response) return response;
        throw deadlinePassed(this.upstream, this.deadline);
      }
      // Both budgets: this request's, and this caller's on this upstream over time (resilience.ts).
      if (delay === null || !this.retryBudget.take() || !callerRetries.take()) {
        if (response) return response;
        throw failure;
      }
      http.observer.retrying(this.upstream, request.route.template, response ? String(response.status) : 'no_response');
      await sleep(delay);
    }
  }
}

/** The bytes a shared read's response was decoded from: each waiter that joined it decodes its own copy. */
const RAW_BODIES = new WeakMap<UpstreamResponse, Buffer>();

function encodeQuery(...parts: (QueryParams | undefined)[]): string {
  const query = parts.flatMap((part) => part ?? []);
  if (query.length === 0) return '';
  // Keys keep their brackets (`filter[state]`, `page[size]`), as the upstreams' own clients send them.
  return `?${query.map(([key, value]) => `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(value)}`).join('&')}`;
}

function isArchive(headers: IncomingHttpHeaders): boolean {
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  return contentType.startsWith('application/zip') || contentType.startsWith('application/octet-stream');
}

/**
 * The body as the gateway uses it: parsed JSON, the bytes of an archive, or undefined (empty, or an error page). A
 * compressed body (which the gateway did not ask for) and JSON over a shape bound (jsonShape.ts) are refused unparsed.
 */
function decodeBody(upstream: UpstreamName, status: number, headers: IncomingHttpHeaders, bytes: Buffer): unknown {
  const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && bytes.length > 0) {
    if (status < 200 || status >= 300) return undefined; // an error: its status says enough
    throw upstreamMalformed(
      upstream,
      status,
      'the body is compressed (content-encoding), which the gateway did not ask for',
    );
  }
  if (isArchive(headers)) return bytes;
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  if (contentType.includes('json')) {
    const problem = jsonShapeProblem(bytes);
    if (problem !== null && (status < 200 || status >= 300)) return undefined; // an error: its status says enough
    if (problem === 'depth') throw upstreamTooComplex(upstream, status, { depth: MAX_JSON_DEPTH });
    if (problem === 'containers') throw upstreamTooComplex(upstream, status, { containers: MAX_JSON_CONTAINERS });
    const text = utf8Text(bytes);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw upstreamMalformed(upstream, status, 'the JSON body could not be parsed');
    }
  }
  if (status >= 200 && status < 300 && utf8Text(bytes).trim() !== '') {
    throw upstreamMalformed(upstream, status, `expected JSON, got ${contentType.split(';')[0] || 'no content type'}`);
  }
  // Error pages (HTML from a proxy, plain text): the status says enough; the page itself is never passed on.
  return undefined;
}

/** UTF-8 text without a leading byte order mark, as the Fetch standard's `text()` reads it. */
function utf8Text(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The total deadline (exchange.ts), the first-byte or the body timeout (connect timeouts have their own message). */
function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  const name = (error as { name?: string } | null)?.name ?? '';
  return name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function toUpstreamFailure(upstream: UpstreamName, template: string, status: number, error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: string } | null)?.code ?? '';
  // undici refuses a request it considers malformed before writing anything: the gateway's fault, not the upstream's.
  if (code === 'UND_ERR_INVALID_ARG' && status === 0)
    return requestRefused(upstream, template, 'the HTTP client refused it as malformed');
  if (isTimeout(error))
    return upstreamUnavailable(upstream, status > 0 ? 'the response body timed out' : 'the request timed out', true);
  if (status > 0) return upstreamMalformed(upstream, status, 'the response body was cut short');
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return upstreamUnavailable(upstream, 'connecting timed out', true);
  if (code === 'ECONNREFUSED') return upstreamUnavailable(upstream, 'the connection was refused', true);
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE')
    return upstreamUnavailable(upstream, 'the connection was reset', true);
  return upstreamUnavailable(upstream, 'the request failed', false);
}

/** Not retried: the request has no time left for another attempt. */
function deadlinePassed(upstream: UpstreamName, deadline: RequestDeadline): UpstreamError {
  return upstreamUnavailable(
    upstream,
    `no answer within the request's deadline (REQUEST_TIMEOUT_MS, ${deadline.timeoutMs} ms)`,
    false,
  );
}

function isJsonLike(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
