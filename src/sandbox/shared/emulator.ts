/**
 * The HTTP shell every emulator runs in: a real node:http server on loopback, a find-my-way router for the
 * upstream's routes, a request log, fault injection, and the `/__sandbox/*` test controls. Each emulator supplies
 * only its routes and its upstream's error bodies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import createRouter from 'find-my-way';
import { FaultTable, validateFault, type FaultSpec } from './faults.js';
import { readJson, sendEmpty, sendJson } from './http.js';
import { RequestLog, type LoggedRequest } from './requestLog.js';

export type EmulatorRouter = createRouter.Instance<createRouter.HTTPVersion.V1>;

export interface EmulatorDefinition {
  /** `cycle`, `cf` or `dockercloud`. */
  name: string;
  /** Registers the upstream's routes, once the base URL is known (Cloud Foundry writes absolute hrefs). */
  routes(router: EmulatorRouter, baseUrl: string): void;
  /** The upstream's own error response body for an HTTP status (injected faults, unknown routes). */
  errorBody(status: number): unknown;
  /** Runs before every upstream request is routed, e.g. to let time-driven jobs advance. */
  beforeRequest?(): void;
  /**
   * True when nothing time-driven is pending (no job or background work in flight), so that until the next write
   * every GET answers the same bytes. Then the shell serves repeated GETs from a cache of serialised responses:
   * the benchmarks measure the gateway against the emulators, which must not be the bottleneck. Absent: no cache.
   */
  isSettled?(): boolean;
}

export interface EmulatorListenOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface Emulator {
  readonly name: string;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4101`. */
  readonly url: string;
  requests(): LoggedRequest[];
  resetRequests(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__sandbox/';

const HTML_ERROR_PAGE =
  '<!doctype html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

export async function startEmulator(
  definition: EmulatorDefinition,
  options: EmulatorListenOptions = {},
): Promise<Emulator> {
  const log = new RequestLog();
  const faults = new FaultTable();
  const router = createRouter({
    ignoreTrailingSlash: false,
    maxParamLength: 1000,
    defaultRoute: (_req, res) => sendJson(res, 404, definition.errorBody(404)),
  });

  const responses = new ResponseCache();

  const server = createServer((req, res) => {
    const path = pathOf(req);
    if (path.startsWith(CONTROL_PREFIX)) {
      handleControl(req, res, path).catch((error: unknown) => sendJson(res, 500, { error: String(error) }));
      return;
    }
    const started = performance.now();
    res.once('close', () => {
      log.record({
        method: req.method ?? 'GET',
        path,
        query: queryOf(req),
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    });
    handleUpstreamRequest(req, res, path).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, definition.errorBody(500));
      else res.destroy(error instanceof Error ? error : undefined);
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handleUpstreamRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    definition.beforeRequest?.();
    const fault = faults.take(req.method ?? 'GET', path, req.headers.authorization);
    if (fault === undefined) {
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') responses.clear();
      else if (definition.isSettled?.()) {
        const key = ResponseCache.keyOf(req);
        if (responses.replay(key, res)) return;
        responses.record(key, res);
      }
      await router.lookup(req, res);
      return;
    }
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.reset) {
      req.socket.destroy();
      return;
    }
    const extraHeaders: Record<string, string> =
      fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    if (fault.body === 'html') {
      res.writeHead(fault.status ?? 502, { 'content-type': 'text/html', ...extraHeaders });
      res.end(HTML_ERROR_PAGE);
      return;
    }
    if (fault.body === 'malformed') {
      const malformed = '{"data": [{"id": "65f1c3d9b7e5d40001a3ca10", "name": "api-server v1.4.2", ';
      res.writeHead(fault.status ?? 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(malformed),
        ...extraHeaders,
      });
      res.end(malformed);
      return;
    }
    if (fault.echo) {
      const echoed = fault.echo === 'body' ? await readText(req) : String(req.headers.authorization ?? '');
      const status = fault.status ?? 400;
      sendJson(res, status, withEcho(definition.errorBody(status), echoed), extraHeaders);
      return;
    }
    if (fault.body === 'truncated') truncateResponse(res);
    if (fault.status !== undefined) {
      sendJson(res, fault.status, definition.errorBody(fault.status), extraHeaders);
      return;
    }
    if (Object.keys(extraHeaders).length > 0) res.setHeader('retry-after', extraHeaders['retry-after']!);
    await router.lookup(req, res);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /__sandbox/requests': {
        const requests = log.entries();
        sendJson(res, 200, { total: requests.length, requests });
        return;
      }
      case 'DELETE /__sandbox/requests':
        log.reset();
        sendEmpty(res, 204);
        return;
      case 'POST /__sandbox/faults': {
        const parsed = await readJson(req);
        const problem = parsed.ok ? validateFault(parsed.value) : 'the body is not valid JSON';
        if (problem !== null) {
          sendJson(res, 400, { error: problem });
          return;
        }
        faults.add((parsed as { value: FaultSpec }).value);
        sendJson(res, 201, { fault: (parsed as { value: FaultSpec }).value });
        return;
      }
      case 'DELETE /__sandbox/faults':
        faults.clear();
        sendEmpty(res, 204);
        return;
      default:
        sendJson(res, 404, { error: `no sandbox control at ${route}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  definition.routes(router, url);

  return {
    name: definition.name,
    url,
    requests: () => log.entries(),
    resetRequests: () => log.reset(),
    injectFault: (fault) => {
      const problem = validateFault(fault);
      if (problem !== null) throw new TypeError(`injectFault: ${problem}`);
      faults.add(fault);
    },
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface CachedResponse {
  status: number;
  headers: Record<string, number | string | string[]>;
  body: Buffer;
}

/** Serialised GET responses by URL and credentials; any write clears it. Bounded: it starts over when full. */
class ResponseCache {
  static readonly MAX_ENTRIES = 2_000;
  readonly #entries = new Map<string, CachedResponse>();

  static keyOf(req: IncomingMessage): string {
    return `${req.method} ${req.url}\n${req.headers.authorization ?? ''}\n${req.headers['x-hub-id'] ?? ''}\n${req.headers.accept ?? ''}`;
  }

  clear(): void {
    this.#entries.clear();
  }

  replay(key: string, res: ServerResponse): boolean {
    const hit = this.#entries.get(key);
    if (!hit) return false;
    res.writeHead(hit.status, hit.headers);
    res.end(hit.body);
    return true;
  }

  /** Keeps what the handler sends, when it is a whole 2xx body sent in one `end`. */
  record(key: string, res: ServerResponse): void {
    const writeHead = res.writeHead.bind(res);
    let headers: Record<string, number | string | string[]> = {};
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const given = rest.find((arg) => typeof arg === 'object' && arg !== null);
      headers = {
        ...(res.getHeaders() as Record<string, number | string | string[]>),
        ...(given as Record<string, number | string | string[]> | undefined),
      };
      return writeHead(status, ...(rest as []));
    }) as typeof res.writeHead;
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (
        Buffer.isBuffer(chunk) &&
        res.statusCode >= 200 &&
        res.statusCode < 300 &&
        this.#entries.size < ResponseCache.MAX_ENTRIES
      ) {
        this.#entries.set(key, { status: res.statusCode, headers, body: chunk });
      }
      return end(chunk as never, ...(rest as []));
    }) as typeof res.end;
  }
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function queryOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** A request's body as text (an echo fault's; the emulators' own bodies are small). */
async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A copy of an error body with `echoed` appended to every string in it. */
function withEcho(body: unknown, echoed: string): unknown {
  return JSON.parse(JSON.stringify(body), (_key, value: unknown) =>
    typeof value === 'string' ? `${value} ${echoed}` : value,
  ) as unknown;
}

/** Makes the response's body stop halfway: the full Content-Length is announced, half is sent, the socket closes. */
function truncateResponse(res: ServerResponse): void {
  res.end = ((chunk?: unknown) => {
    const body = Buffer.isBuffer(chunk) ? chunk : Buffer.from(typeof chunk === 'string' ? chunk : '');
    res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
    setImmediate(() => res.socket?.destroy());
    return res;
  }) as typeof res.end;
}

/** The URL of a request as seen by a handler (query parsing keeps repeated keys). */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://sandbox.invalid');
}
