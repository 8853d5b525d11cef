/**
 * The bridge from node:http to Apollo Server: `POST /graphql` (JSON, or a GraphQL multipart request carrying
 * uploads: multipart.ts) and `GET /graphql` (queries in the query string, under Apollo's CSRF rules). Apollo handles
 * content negotiation (`application/graphql-response+json`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { Context } from '../context.js';
import { checkOperationsShape, checkQueryStringShape, jsonBodyTooDeep, type InputShapeLimits } from '../inputShape.js';
import { PayloadTooLargeError, readRequestBody, RequestCutShortError } from './body.js';
import { isMultipartRequest, readMultipartOperations, type MultipartOptions } from './multipart.js';
import { scrubJsonText } from '../plugins/secretScrubbing.js';
import { sendError, sendJson } from './respond.js';

export interface GraphQLHandlerOptions {
  apollo: ApolloServer<Context>;
  createContext(req: IncomingMessage): Context;
  maxBodyBytes: number;
  /** Operations one batched request (a JSON array) may hold. */
  maxBatchOperations: number;
  /** Multipart requests (uploads): limits, concurrency and the check their operations pass before files are read. */
  uploads: Omit<MultipartOptions, 'variablesLimits'>;
  /** Bounds on each operation's variables and extensions, checked before anything recurses over them. */
  variablesLimits: InputShapeLimits;
}

export async function handleGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  options: GraphQLHandlerOptions,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST' && isMultipartRequest(headers.get('content-type'))) {
    const multipart = await readMultipartOperations(req, headers, {
      ...options.uploads,
      variablesLimits: options.variablesLimits,
    });
    if (!multipart.ok) return sendJson(res, multipart.status, { errors: multipart.errors }, multipart.headers);
    // Unread files are discarded and the slot freed once the answer is sent, or the client went away.
    res.once('close', () => multipart.session.finish());
    try {
      return await answer(req, res, headers, multipart.body, options);
    } finally {
      multipart.session.finish();
    }
  } else if (req.method === 'POST') {
    let raw: Buffer;
    try {
      raw = await readRequestBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', error.message);
      // The client went away in the middle of its request: there is no one to answer, and nothing went wrong here.
      if (error instanceof RequestCutShortError) return void res.destroy();
      throw error;
    }
    if ((headers.get('content-type') ?? '').includes('json')) {
      const tooDeep = jsonBodyTooDeep(raw, options.variablesLimits);
      if (tooDeep) return sendJson(res, 400, { errors: [tooDeep.toJSON()] });
      try {
        body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
      }
    } else {
      body = raw.toString('utf8');
    }
  }
  return answer(req, res, headers, body, options);
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  headers: HeaderMap,
  body: unknown,
  options: GraphQLHandlerOptions,
): Promise<void> {
  if (Array.isArray(body) && body.length > options.maxBatchOperations) {
    return sendError(
      res,
      400,
      'BATCH_TOO_LARGE',
      `A batch may hold at most ${options.maxBatchOperations} operations; this one holds ${body.length}`,
    );
  }
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const badShape =
    checkOperationsShape(body, options.variablesLimits) ??
    (query < 0 ? null : checkQueryStringShape(url.slice(query), options.variablesLimits));
  if (badShape) return sendJson(res, 400, { errors: [badShape.toJSON()] });
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    headers,
    search: query < 0 ? '' : url.slice(query),
    body,
  };
  // One context per operation (a batch has several): the answer is scrubbed of the secrets of each.
  const contexts: Context[] = [];
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => {
      const context = options.createContext(req);
      contexts.push(context);
      return context;
    },
  });
  // Already answered: the shutdown grace ended first (server.ts answered 503).
  if (res.headersSent) return;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const text = contexts.reduce((answer, context) => scrubJsonText(answer, context.secrets), response.body.string);
    // Sent in one `end`, node:http gives the answer its Content-Length (it measures the string itself) rather than
    // chunked framing, so measuring it here too would cost a second pass over every answer. Except for HTTP/1.0, where
    // node:http would send no length and close the connection instead, and HEAD, which has no body to measure.
    if (req.httpVersionMinor === 0 || req.method === 'HEAD') res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator)
    res.write(contexts.reduce((text, context) => context.secrets.scrub(text), chunk));
  res.end();
}
