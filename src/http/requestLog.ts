/**
 * The request line of everything the GraphQL pipeline does not log itself (plugins/requestLogging.ts logs one line
 * per GraphQL operation): refusals at the HTTP layer (401, 400 bad JSON, 413, 405, CSRF, the 503s at the end of the
 * shutdown grace), answers of the other routes, and WebSocket upgrades. Refusals and answers cut short are logged at
 * info, so an operator given a request id finds it; successful answers of probes, metrics and GraphiQL at debug, so
 * that health checks do not flood the log. Paths only: no query string (it may hold variables), no headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { flatLineLogger, type Logger } from '../logging.js';

/** What the gateway answered outside the GraphQL pipeline: the code and message of its error body. */
export interface Refusal {
  code: string;
  message: string;
}

const refusals = new WeakMap<ServerResponse, Refusal>();
const loggedByGraphQL = new WeakSet<ServerResponse>();

/** Records why `res` was refused, for its request line (respond.ts's sendError calls it for every error it sends). */
export function noteRefusal(res: ServerResponse, refusal: Refusal): void {
  refusals.set(res, refusal);
}

/** The GraphQL pipeline logged this request's operations: its HTTP line is written only if it was refused too. */
export function noteLoggedByGraphQL(res: ServerResponse): void {
  loggedByGraphQL.add(res);
}

/** A client's `x-request-id` is kept when it is a plain token; otherwise the gateway makes one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id (the client's when it is a plain token, else a new one), written back into its headers. */
export function assignRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = requestId;
  return requestId;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)).slice(0, 256);
}

export type HttpRequestLogger = (req: IncomingMessage, res: ServerResponse) => void;

/** Watches one HTTP request and writes its line when its response closes. */
export function httpRequestLogger(logger: Logger): HttpRequestLogger {
  const lines = flatLineLogger(logger);
  return (req, res) => {
    const started = performance.now();
    res.once('close', () => {
      const refusal = refusals.get(res);
      if (loggedByGraphQL.has(res) && !refusal) return;
      const finished = res.writableFinished;
      const line = {
        requestId: String(req.headers['x-request-id'] ?? ''),
        method: req.method ?? '',
        path: pathOf(req),
        status: res.statusCode,
        ...(refusal ? { code: refusal.code, reason: refusal.message } : {}),
        ...(finished ? {} : { cutShort: true }),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (refusal || res.statusCode >= 400 || !finished) lines.info(line, 'http request');
      else lines.debug(line, 'http request');
    });
  };
}

/**
 * Wraps the `upgrade` handler so that each WebSocket upgrade leaves a line: the status the handler answered (read
 * from the first bytes written to the socket), at info when it was refused and at debug when it switched protocols.
 * The request id is assigned first, so the connection's subscriptions carry it too.
 */
export function loggedUpgrades(
  logger: Logger,
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const lines = flatLineLogger(logger);
  return (req, socket, head) => {
    const requestId = assignRequestId(req);
    const started = performance.now();
    let logged = false;
    const log = (chunk: unknown) => {
      if (logged) return;
      logged = true;
      // Only the first bytes tell the answer: the frames that follow go straight to the socket's own methods.
      Reflect.deleteProperty(socket, 'write');
      Reflect.deleteProperty(socket, 'end');
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('latin1', 0, 64) : '';
      const status = /^HTTP\/1\.[01] (\d{3}) ?([^\r\n]*)/.exec(text);
      const code = status ? Number(status[1]) : null;
      const line = {
        requestId,
        method: req.method ?? 'GET',
        path: pathOf(req),
        upgrade: 'websocket',
        status: code,
        ...(code !== 101 ? { reason: status?.[2] ?? 'closed without an answer' } : {}),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (code === 101) lines.debug(line, 'websocket upgrade');
      else lines.info(line, 'websocket upgrade');
    };
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    const end = socket.end.bind(socket) as (...args: unknown[]) => Duplex;
    socket.write = ((...args: unknown[]) => {
      log(args[0]);
      return write(...args);
    }) as Duplex['write'];
    socket.end = ((...args: unknown[]) => {
      log(typeof args[0] === 'function' ? undefined : args[0]);
      return end(...args);
    }) as Duplex['end'];
    socket.once('close', () => log(undefined));
    handle(req, socket, head);
  };
}
