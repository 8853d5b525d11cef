/**
 * GraphQL over Server-Sent Events (graphql-sse) on the gateway's port and path: the routes hand `/graphql` requests
 * that ask for an event stream here (both of graphql-sse's modes: a stream per operation, or one reserved stream
 * with operations posted to it). The gateway token was checked by the routes, as for any GraphQL request; the body
 * is read under the same size limit. graphql-sse pings the stream with a comment line every 12 seconds.
 *
 * Reserved streams (single connection mode) are the gateway's, not graphql-sse's: sseReservations.ts makes the
 * token, bounds reservations per caller and in all, drops unopened ones after a TTL and refuses another caller's
 * token, before graphql-sse sees the request. graphql-sse never makes a token (nor accepts one a PUT names).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { createHandler, type HandlerOptions } from 'graphql-sse';
import Negotiator from 'negotiator';
import { PayloadTooLargeError, readRequestBody, RequestCutShortError } from '../http/body.js';
import { sendError } from '../http/respond.js';
import type { SubscriptionOperations } from './operations.js';
import type { ReportRefusal } from './refusals.js';
import { callerIdentity, SseReservations, type ReservationLimits } from './sseReservations.js';

export type SseHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface SseTransport {
  handle: SseHandler;
  /** Reservations held now (tests and shutdown). */
  readonly reservations: number;
  /** Shutdown: refuses new streams and reservations, then ends every reserved stream (its operations first). */
  close(): Promise<void>;
}

export interface SseTransportOptions {
  operations: SubscriptionOperations;
  maxBodyBytes: number;
  reservations: ReservationLimits;
  /** Operations one reserved stream may run at once (as a WebSocket connection: SUBSCRIPTIONS_PER_CONNECTION). */
  maxPerStream: number;
  reportRefusal: ReportRefusal;
}

const STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';

/** The stream token of a request: graphql-sse's header, or its `token` query parameter (EventSource sends no headers). */
function streamTokenOf(req: IncomingMessage): string | null {
  const header = req.headers[STREAM_TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = (req.url ?? '').indexOf('?');
  if (query < 0) return null;
  return new URLSearchParams((req.url ?? '').slice(query + 1)).get('token') || null;
}

/** What the gateway hands graphql-sse with each request: the token it decided on, and who asks. */
interface RequestContext {
  token: string | null;
}

/**
 * The responses `/graphql` can give, for content negotiation. A client that accepts several gets its first choice
 * (by q-value, then the most specific range, then its own order): urql sends every query and mutation with
 * `application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed`
 * and wants JSON, while its subscriptions accept `text/event-stream, multipart/mixed` and want a stream.
 */
const RESPONSE_TYPES = ['application/graphql-response+json', 'application/json', 'text/event-stream'];

function prefersEventStream(req: IncomingMessage): boolean {
  // Most requests do not name event streams at all: they need no negotiation.
  if (!req.headers.accept?.includes('text/event-stream')) return false;
  return new Negotiator(req).mediaType(RESPONSE_TYPES) === 'text/event-stream';
}

/**
 * True for the requests of graphql-sse's protocol: an event stream (the client's preferred response), a stream
 * reservation, or a reserved stream's operation.
 */
export function isSseRequest(req: IncomingMessage): boolean {
  return streamTokenOf(req) !== null || req.method === 'PUT' || prefersEventStream(req);
}

export function createSseTransport(options: SseTransportOptions): SseTransport {
  const { operations, maxBodyBytes, reportRefusal } = options;
  /** Operations running on each reserved stream. */
  const running = new Map<string, number>();
  /** The open reserved streams, to end at shutdown. */
  const open = new Map<string, AsyncGenerator<string, void, unknown>>();
  let closing = false;

  const handler = createHandler<IncomingMessage, RequestContext>({
    // The gateway decided on the token (or that there is none: a stream per operation).
    authenticate: (req) => req.context.token ?? undefined,
    onSubscribe: (req, params) => {
      const token = req.context.token;
      let onEnd: (() => void) | undefined;
      if (token !== null) {
        running.set(token, (running.get(token) ?? 0) + 1);
        onEnd = () => {
          const left = (running.get(token) ?? 1) - 1;
          if (left <= 0) running.delete(token);
          else running.set(token, left);
        };
      }
      const prepared = operations.prepare(params, req.raw.headers, 'sse', onEnd);
      if ('errors' in prepared) {
        onEnd?.();
        // Formatted already: graphql-sse sends it as the operation's one event.
        return { data: null, errors: prepared.errors } as unknown as ExecutionResult;
      }
      return prepared.args;
    },
    // Its results are formatted already (GraphQLFormattedErrors): graphql-sse serialises them as they are.
    subscribe: operations.subscribe as unknown as NonNullable<HandlerOptions['subscribe']>,
  } as HandlerOptions<IncomingMessage, RequestContext>);

  /** graphql-sse keeps a reserved stream until it is opened and ended: open it here and end it at once. */
  const release = async (token: string) => {
    running.delete(token);
    const stream = open.get(token);
    if (stream) return void (await stream.return(undefined));
    const [unopened] = await handler({
      method: 'GET',
      url: '/graphql',
      headers: { get: (name) => (name.toLowerCase() === 'accept' ? 'text/event-stream' : undefined) },
      body: null,
      raw: undefined as unknown as IncomingMessage,
      context: { token },
    });
    if (unopened && typeof unopened !== 'string') await unopened.return(undefined);
  };
  const reservations = new SseReservations(options.reservations, (token) => void release(token));

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    reason: Parameters<ReportRefusal>[1],
    message: string,
    headers: Record<string, string> = {},
  ) => {
    reportRefusal('sse', reason, String(req.headers['x-request-id'] ?? ''), message);
    sendError(res, status, code, message, headers);
  };

  const handle: SseHandler = async (req, res) => {
    const owner = callerIdentity(req.headers);
    const eventStream = prefersEventStream(req);
    let token: string | null;
    if (closing)
      return refuse(req, res, 503, 'SHUTTING_DOWN', 'shutting_down', 'The gateway is shutting down: connect again', {
        connection: 'close',
        'retry-after': '1',
      });
    if (req.method === 'PUT') {
      const reserved = reservations.reserve(owner);
      if ('refused' in reserved)
        return refuse(
          req,
          res,
          429,
          'TOO_MANY_SUBSCRIPTIONS',
          'too_many_reservations',
          reserved.refused === 'per-caller'
            ? `A caller may hold ${options.reservations.perCaller} reserved event streams at once (SSE_RESERVATIONS_PER_CALLER): open or drop one first; unopened ones expire after ${options.reservations.ttlMs} ms`
            : `The gateway holds its limit of ${options.reservations.total} reserved event streams (SSE_RESERVATIONS_MAX): try again later`,
          { 'retry-after': String(Math.ceil(options.reservations.ttlMs / 1000)) },
        );
      token = reserved.token;
    } else {
      token = streamTokenOf(req);
      if (token !== null) {
        const access = reservations.access(token, owner);
        if (access === 'unknown')
          return refuse(
            req,
            res,
            404,
            'STREAM_NOT_FOUND',
            'stream_not_found',
            `No event stream is reserved under this token: it expired (unopened for ${options.reservations.ttlMs} ms) or ended; reserve one with PUT`,
          );
        if (access === 'forbidden')
          return refuse(
            req,
            res,
            403,
            'FORBIDDEN',
            'stream_forbidden',
            'This event stream was reserved by another caller (other gateway or upstream credentials)',
          );
        if (req.method === 'POST' && !eventStream && (running.get(token) ?? 0) >= options.maxPerStream)
          return refuse(
            req,
            res,
            429,
            'TOO_MANY_SUBSCRIPTIONS',
            'too_many_subscriptions',
            `An event stream may run ${options.maxPerStream} subscriptions at once (SUBSCRIPTIONS_PER_CONNECTION): complete one first`,
          );
      }
    }
    let body: string | null = null;
    if (req.method === 'POST') {
      try {
        body = (await readRequestBody(req, maxBodyBytes)).toString('utf8');
      } catch (error) {
        if (error instanceof PayloadTooLargeError) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', error.message);
        if (error instanceof RequestCutShortError) return void res.destroy();
        throw error;
      }
    }
    const [stream, init] = await handler({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: {
        get: (name) => {
          const key = name.toLowerCase();
          // graphql-sse opens a stream only for an Accept of exactly `text/event-stream`.
          if (key === 'accept' && eventStream) return 'text/event-stream';
          const value = req.headers[key];
          return Array.isArray(value) ? value.join(', ') : value;
        },
      },
      body,
      raw: req,
      context: { token },
    });
    // A reservation graphql-sse did not make (406 for a PUT that accepts no text): nothing to hold.
    if (req.method === 'PUT' && token !== null && init.status !== 201) reservations.release(token);
    res.writeHead(init.status, init.statusText, init.headers);
    if (!stream || typeof stream === 'string') {
      res.end(stream);
      return;
    }
    const reservedStream = req.method === 'GET' && token !== null ? token : null;
    if (reservedStream !== null) {
      reservations.opened(reservedStream);
      open.set(reservedStream, stream);
    }
    // The client went away: ending the stream ends its operations (and their shared-poll watches).
    const stop = () => void stream.return(undefined);
    res.once('close', stop);
    try {
      for await (const chunk of stream) {
        if (!res.writable) break;
        res.write(chunk);
      }
    } finally {
      res.off('close', stop);
      res.end();
      if (reservedStream !== null) {
        open.delete(reservedStream);
        running.delete(reservedStream);
        reservations.release(reservedStream);
      }
    }
  };

  return {
    handle,
    get reservations() {
      return reservations.size;
    },
    async close() {
      closing = true;
      await Promise.all(
        reservations.tokens().map((token) => {
          reservations.release(token);
          return release(token);
        }),
      );
    },
  };
}
