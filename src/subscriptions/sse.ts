/**
 * GraphQL over Server-Sent Events (graphql-sse) on the gateway's port and path: the routes hand `/graphql` requests
 * that ask for an event stream here (both of graphql-sse's modes: a stream per operation, or one reserved stream
 * with operations posted to it). The gateway token was checked by the routes, as for any GraphQL request; the body
 * is read under the same size limit. graphql-sse pings the stream with a comment line every 12 seconds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { createHandler, type HandlerOptions } from 'graphql-sse';
import Negotiator from 'negotiator';
import { PayloadTooLargeError, readRequestBody, RequestCutShortError } from '../http/body.js';
import { sendError } from '../http/respond.js';
import type { SubscriptionOperations } from './operations.js';

export type SseHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';

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
  return req.headers[STREAM_TOKEN_HEADER] !== undefined || req.method === 'PUT' || prefersEventStream(req);
}

export function createSseHandler(operations: SubscriptionOperations, maxBodyBytes: number): SseHandler {
  const handler = createHandler<IncomingMessage, undefined>({
    onSubscribe: (req, params) => {
      const prepared = operations.prepare(params, req.raw.headers, 'sse');
      // Formatted already: graphql-sse sends it as the stream's one event.
      if ('errors' in prepared) return { data: null, errors: prepared.errors } as unknown as ExecutionResult;
      return prepared.args;
    },
    // Its results are formatted already (GraphQLFormattedErrors): graphql-sse serialises them as they are.
    subscribe: operations.subscribe as unknown as NonNullable<HandlerOptions['subscribe']>,
  } as HandlerOptions<IncomingMessage, undefined>);

  return async (req, res) => {
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
    const eventStream = prefersEventStream(req);
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
      context: undefined,
    });
    res.writeHead(init.status, init.statusText, init.headers);
    if (!stream || typeof stream === 'string') {
      res.end(stream);
      return;
    }
    // The client went away: ending the stream ends its operations (and their shared-poll watches).
    const stop = () => void stream.return(undefined);
    res.once('close', stop);
    for await (const chunk of stream) {
      if (!res.writable) break;
      res.write(chunk);
    }
    res.off('close', stop);
    res.end();
  };
}
